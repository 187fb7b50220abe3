"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { ALERT_KINDS, ALERT_LABELS, type AlertKind } from "@/lib/alerts/kinds";
import { updateAlertPrefsAction } from "./actions";
import { Checkbox } from "../../admin/_components/controls";

/** One switch per kind of admin alert; unticked = this admin does not receive it. */
export function NotificationsForm({ prefs }: { prefs: Record<AlertKind, boolean> }) {
  const [state, action] = useActionState<ActionState, FormData>(updateAlertPrefsAction, {});
  return (
    <form action={action} className="space-y-4" aria-label="Admin alerts">
      <FormMessage state={state} />
      <fieldset className="space-y-3">
        <legend className="sr-only">Email me when</legend>
        {ALERT_KINDS.map((kind) => (
          <Checkbox
            key={kind}
            name={kind}
            label={ALERT_LABELS[kind].label}
            hint={ALERT_LABELS[kind].hint}
            defaultChecked={prefs[kind]}
            data-testid={`alert-${kind}`}
          />
        ))}
      </fieldset>
      <SubmitButton pendingText="Saving…">Save notification settings</SubmitButton>
    </form>
  );
}
