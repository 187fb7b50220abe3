"use client";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { CodeField } from "@/components/code-field";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { NewPasswordFields } from "@/components/new-password-fields";
import type { ActionState } from "@/lib/action";
import { resetPasswordAction, verifyResetRecoveryAction, verifyResetTotpAction } from "./actions";

type Action = (prev: ActionState | undefined, input: FormData) => Promise<ActionState>;

/** Runs the action; a success, or a link that has ended meanwhile, re-renders the page (next step, or why not). */
function useStep(action: Action) {
  const router = useRouter();
  return useActionState<ActionState, FormData>(async (prev, formData) => {
    const result = await action(prev, formData);
    if (result.ok || result.code === "not_found" || result.code === "forbidden") router.refresh();
    return result;
  }, {});
}

const switchClass = "font-medium text-blue-700 hover:underline dark:text-blue-400";

/** The second factor before the new password: an authenticator app code or a recovery code (never an email code). */
export function StepUpForms({ token, totp, recovery }: { token: string; totp: boolean; recovery: boolean }) {
  const [mode, setMode] = useState<"totp" | "recovery">(totp ? "totp" : "recovery");
  const [totpState, verifyTotp] = useStep(verifyResetTotpAction);
  const [recoveryState, verifyRecovery] = useStep(verifyResetRecoveryAction);
  return (
    <div className="space-y-6">
      {mode === "totp" ? (
        <form action={verifyTotp} className="space-y-4" noValidate aria-label="Confirm with your authenticator app">
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Open your authenticator app and enter the 6-digit code for this account.
          </p>
          <FormMessage state={totpState} />
          <input type="hidden" name="token" value={token} />
          <CodeField state={totpState} label="Authentication code" autoFocus />
          <SubmitButton className="w-full" pendingText="Verifying…">
            Continue
          </SubmitButton>
        </form>
      ) : (
        <form action={verifyRecovery} className="space-y-4" noValidate aria-label="Confirm with a recovery code">
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Enter one of the recovery codes you saved when you set up two-factor authentication. The code is used up.
          </p>
          <FormMessage state={recoveryState} />
          <input type="hidden" name="token" value={token} />
          <Field
            label="Recovery code"
            name="code"
            autoComplete="off"
            spellCheck={false}
            placeholder="xxxx-xxxx-xxxx-xxxx"
            required
            state={recoveryState}
            autoFocus
          />
          <SubmitButton className="w-full" pendingText="Verifying…">
            Continue
          </SubmitButton>
        </form>
      )}
      {totp && recovery && (
        <div className="border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
          <button type="button" className={switchClass} onClick={() => setMode(mode === "totp" ? "recovery" : "totp")}>
            {mode === "totp" ? "Use a recovery code instead" : "Use your authenticator app instead"}
          </button>
        </div>
      )}
    </div>
  );
}

export function NewPasswordForm({ token, email }: { token: string; email: string }) {
  const [state, action] = useStep(resetPasswordAction);
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Choose a new password">
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account this password belongs to. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <NewPasswordFields state={state} label="New password" autoFocus />
      <SubmitButton className="w-full" pendingText="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}
