"use client";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/action";
import { setEnforcedAction } from "./actions";
import { AdminFormMessage } from "../_components/controls";

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
        on ? "bg-blue-700 dark:bg-blue-600" : "bg-slate-500"
      }`}
    >
      <span
        className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${on ? "translate-x-5" : "translate-x-0.5"}`}
      />
    </button>
  );
}

function UndoButton() {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="font-medium text-blue-700 underline underline-offset-2 hover:no-underline disabled:opacity-60 dark:text-blue-400"
    >
      {pending ? "Undoing…" : "Undo"}
    </button>
  );
}

type EnforceState = ActionState & { enforced?: boolean; undone?: boolean };

/**
 * "Enforce 2FA" for one member: a switch that acts at once (it is easy to take back), followed by a
 * notice naming the member and what now happens to them, with Undo.
 */
export function EnforceToggle({
  userId,
  name,
  enforced,
  showLabel = false,
}: {
  userId: string;
  name: string;
  enforced: boolean;
  showLabel?: boolean;
}) {
  const [state, action] = useActionState<EnforceState, FormData>(async (prev, formData) => {
    const result = await setEnforcedAction(prev, formData);
    return { ...result, enforced: formData.get("enforced") === "true", undone: formData.get("undo") === "1" };
  }, {});
  return (
    // gap, not space-y: the empty notice (display: none) must not leave a margin behind.
    <div className="flex flex-col gap-2">
      <form action={action}>
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="enforced" value={enforced ? "false" : "true"} />
        <div className="flex items-center gap-3">
          <Switch on={enforced} name={name} />
          <span className={showLabel ? "text-sm" : "sr-only"} data-testid="enforced-label">
            {enforced ? "Enforced" : "Not enforced"}
          </span>
        </div>
      </form>
      <div role="status" data-testid="enforce-notice" className="max-w-xs text-xs text-slate-700 empty:hidden dark:text-slate-300">
        {state.ok && (
          <form action={action} className="inline">
            <input type="hidden" name="userId" value={userId} />
            <input type="hidden" name="enforced" value={state.enforced ? "false" : "true"} />
            <input type="hidden" name="undo" value="1" />
            {state.undone ? "Undone: " : ""}
            {state.enforced
              ? `${name} must now set up 2FA at their next sign-in, with no grace period.`
              : `${name} no longer has to use 2FA (the organisation's policy still applies).`}{" "}
            <UndoButton />
          </form>
        )}
      </div>
      {state.error && <AdminFormMessage state={state} />}
    </div>
  );
}
