"use client";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/action";
import { AdminFormMessage } from "../_components/controls";
import { setEnforcedAction } from "./actions";

function Switch({ on, name }: { on: boolean; name: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      role="switch"
      aria-checked={on}
      aria-label={`Enforce 2FA for ${name}`}
      disabled={pending}
      className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-60 ${
        on ? "bg-blue-700 dark:bg-blue-600" : "bg-slate-300 dark:bg-slate-700"
      }`}
    >
      <span className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${on ? "translate-x-5" : "translate-x-0.5"}`} />
    </button>
  );
}

/** "Enforce 2FA" for one member: a switch that submits the opposite of the current value. */
export function EnforceToggle({ userId, name, enforced, showLabel = false }: { userId: string; name: string; enforced: boolean; showLabel?: boolean }) {
  const [state, action] = useActionState<ActionState, FormData>(setEnforcedAction, {});
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="enforced" value={enforced ? "false" : "true"} />
      <div className="flex items-center gap-3">
        <Switch on={enforced} name={name} />
        <span className={showLabel ? "text-sm" : "sr-only"} data-testid="enforced-label">
          {enforced ? "Enforced" : "Not enforced"}
        </span>
      </div>
      {state.error && <AdminFormMessage state={state} />}
    </form>
  );
}
