"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { updateDigestSettingsAction } from "./incident-actions";
import { Checkbox, Select } from "../_components/controls";

/** The weekly compliance digest: the organisation's time zone and the switch for when 2FA is not required. */
export function DigestSettings({
  current,
  timeZones,
}: {
  current: { timeZone: string; weeklyDigest: boolean; require2fa: boolean };
  timeZones: string[];
}) {
  const [state, action] = useActionState<ActionState, FormData>(updateDigestSettingsAction, {});
  return (
    <form action={action} className="space-y-4" aria-label="Weekly digest">
      <FormMessage state={state} />
      <Select
        label="Organisation time zone"
        name="timeZone"
        state={state}
        defaultValue={current.timeZone}
        options={timeZones.map((z) => ({ value: z, label: z.replace(/_/g, " ") }))}
        hint="The digest goes out on Monday morning (from 08:00) in this time zone."
      />
      <Checkbox
        name="weeklyDigest"
        label="Send the weekly compliance digest to admins"
        hint={
          current.require2fa
            ? "Your organisation requires 2FA, so the digest is sent anyway; this switch matters once it no longer does."
            : "Your organisation does not require 2FA for everyone: the digest is sent only when this is ticked."
        }
        defaultChecked={current.weeklyDigest}
        state={state}
      />
      <SubmitButton tone="secondary" pendingText="Saving…">
        Save digest settings
      </SubmitButton>
    </form>
  );
}
