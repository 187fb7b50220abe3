"use client";
import { QRCodeSVG } from "qrcode.react";
import { useActionState, useState } from "react";
import { CodeField } from "@/components/code-field";
import { Field, FormMessage, SubmitButton, buttonClass } from "@/components/form";
import { RecoveryCodes } from "@/components/recovery-codes";
import type { ActionState } from "@/lib/action";

export type ConfirmResult = { recoveryCodes: string[] | null };
type ConfirmAction = (prev: ActionState<ConfirmResult> | undefined, input: FormData) => Promise<ActionState<ConfirmResult>>;

/**
 * Adding an authenticator app: QR code (or setup key), a name, the first code. Used in the profile
 * and, when 2FA is required, during login. `onFinished` runs after the success screen (and codes).
 */
export function TotpEnrolment({
  factorId,
  uri,
  formattedSecret,
  orgName,
  confirmAction,
  onFinished,
  finishLabel,
}: {
  factorId: string;
  uri: string;
  formattedSecret: string;
  orgName: string;
  confirmAction: ConfirmAction;
  onFinished: () => void;
  finishLabel: string;
}) {
  const [state, action] = useActionState<ActionState<ConfirmResult>, FormData>(confirmAction, {});
  const [copied, setCopied] = useState(false);
  const [codesSaved, setCodesSaved] = useState(false);

  if (state.ok) {
    const codes = state.data?.recoveryCodes;
    return (
      <div className="space-y-6">
        <div role="status" data-testid="totp-success" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          <p className="font-semibold">Authenticator app added</p>
          <p className="text-sm">From now on, signing in asks for a code from this app.</p>
        </div>
        {codes && !codesSaved ? (
          <RecoveryCodes codes={codes} orgName={orgName} onDone={() => (setCodesSaved(true), onFinished())} doneLabel={finishLabel} />
        ) : (
          <button type="button" className={buttonClass()} onClick={onFinished}>
            {finishLabel}
          </button>
        )}
      </div>
    );
  }

  return (
    <div className="grid gap-8 md:grid-cols-[auto_1fr]">
      <ol className="space-y-6 text-sm">
        <li>
          <p className="font-medium">1. Scan this QR code with your authenticator app</p>
          <p className="mt-1 text-slate-600 dark:text-slate-400">Google Authenticator, Microsoft Authenticator, 1Password, Authy and others work.</p>
          <div className="mt-3 inline-block rounded-lg bg-white p-3 ring-1 ring-slate-200">
            <QRCodeSVG value={uri} size={184} level="M" marginSize={2} title="QR code for your authenticator app" data-testid="totp-qr" />
          </div>
        </li>
        <li>
          <p className="font-medium">Can&apos;t scan it? Enter this setup key instead</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="totp-secret" className="rounded bg-slate-100 px-2 py-1 font-mono text-sm tracking-wider dark:bg-slate-800">
              {formattedSecret}
            </code>
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={async () => {
                await navigator.clipboard?.writeText(formattedSecret.replace(/\s/g, "")).catch(() => undefined);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy key"}
            </button>
          </div>
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Time-based, 6 digits, every 30 seconds.</p>
        </li>
      </ol>
      <form action={action} className="max-w-sm space-y-4" noValidate aria-label="Confirm authenticator app">
        <p className="text-sm font-medium">2. Name it and enter the code it shows</p>
        <FormMessage state={state} />
        <input type="hidden" name="factorId" value={factorId} />
        <Field label="Name" name="name" defaultValue="Authenticator app" maxLength={60} state={state} hint="So you can tell your devices apart, like “Work phone”." />
        <CodeField state={state} label="6-digit code" />
        <SubmitButton pendingText="Verifying…">Verify and turn on</SubmitButton>
      </form>
    </div>
  );
}
