"use client";
import { useActionState, useState } from "react";
import { CodeField } from "@/components/code-field";
import { completeLogin } from "@/components/complete-login";
import { Field, FormMessage, SubmitButton, buttonClass } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { verifyRecoveryAction, verifyTotpAction } from "./actions";

const FINISH_ERROR = "Your sign-in could not be completed. Please sign in again.";

type Mode = "totp" | "recovery";

export function VerifyForms({ callbackUrl, hasTotp, children }: { callbackUrl: string; hasTotp: boolean; children?: React.ReactNode }) {
  const [mode, setMode] = useState<Mode>(hasTotp ? "totp" : "recovery");
  return (
    <div className="space-y-6">
      {mode === "totp" ? <TotpForm callbackUrl={callbackUrl} /> : <RecoveryForm callbackUrl={callbackUrl} />}
      {children}
      <div className="border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
        {mode === "totp" ? (
          <button type="button" className="font-medium text-blue-700 hover:underline dark:text-blue-400" onClick={() => setMode("recovery")}>
            Use a recovery code instead
          </button>
        ) : hasTotp ? (
          <button type="button" className="font-medium text-blue-700 hover:underline dark:text-blue-400" onClick={() => setMode("totp")}>
            Use your authenticator app instead
          </button>
        ) : null}
      </div>
    </div>
  );
}

function TotpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState<ActionState, FormData>(async (prev, formData) => {
    const result = await verifyTotpAction(prev, formData);
    if (result.ok && !(await completeLogin(callbackUrl))) return { ok: false, error: FINISH_ERROR };
    return result;
  }, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Sign in with your authenticator app">
      <p className="text-sm text-slate-600 dark:text-slate-400">Open your authenticator app and enter the 6-digit code for this account.</p>
      <FormMessage state={state} />
      <CodeField state={state} label="Authentication code" autoFocus />
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify
      </SubmitButton>
    </form>
  );
}

function RecoveryForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState<ActionState<{ remaining: number; low: boolean }>, FormData>(verifyRecoveryAction, {});
  const [continuing, setContinuing] = useState(false);
  const [finishError, setFinishError] = useState<string>();
  if (state.ok && state.data) {
    const { remaining, low } = state.data;
    return (
      <div className="space-y-4">
        <p role="status" data-testid="recovery-accepted" className={`rounded-md px-3 py-2 text-sm ${low ? "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" : "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"}`}>
          Recovery code accepted. You have {remaining} recovery code{remaining === 1 ? "" : "s"} left.
          {low && " Generate a new set in your profile soon, or you may be locked out."}
        </p>
        {finishError && <FormMessage state={{ ok: false, error: finishError }} />}
        <button
          type="button"
          className={`${buttonClass()} w-full`}
          disabled={continuing}
          onClick={async () => {
            setContinuing(true);
            if (!(await completeLogin(callbackUrl))) {
              setContinuing(false);
              setFinishError(FINISH_ERROR);
            }
          }}
        >
          {continuing ? "Signing in…" : "Continue"}
        </button>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Sign in with a recovery code">
      <p className="text-sm text-slate-600 dark:text-slate-400">Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.</p>
      <FormMessage state={state} />
      <Field label="Recovery code" name="code" autoComplete="off" spellCheck={false} placeholder="xxxx-xxxx-xxxx-xxxx" required state={state} autoFocus />
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify recovery code
      </SubmitButton>
    </form>
  );
}
