"use client";
import { QRCodeSVG } from "qrcode.react";
import { useActionState, useRef } from "react";
import { CodeField } from "@/components/code-field";
import { Field, FormMessage, SubmitButton, buttonClass, keepTyped } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { selectContents, useCopy } from "./use-copy";

export type ConfirmResult = { recoveryCodes: string[] | null };
type ConfirmAction = (prev: ActionState<ConfirmResult> | undefined, input: FormData) => Promise<ActionState<ConfirmResult>>;

/**
 * Adding an authenticator app: QR code (or setup key), a name, the first code. Used in Security › Two-factor
 * and, when 2FA is required, during login. Once the code is accepted `onConfirmed` gets the result and
 * the caller shows the success (a dialog in Security, the whole card during login: EnrolmentSuccess).
 */
export function TotpEnrolment({
  factorId,
  uri,
  formattedSecret,
  confirmAction,
  onConfirmed,
}: {
  factorId: string;
  uri: string;
  formattedSecret: string;
  confirmAction: ConfirmAction;
  onConfirmed: (result: ConfirmResult) => void;
}) {
  const [state, action] = useActionState<ActionState<ConfirmResult>, FormData>(async (prev, formData) => {
    const result = await confirmAction(prev, formData);
    if (result.ok) onConfirmed({ recoveryCodes: result.data?.recoveryCodes ?? null });
    return keepTyped(result, formData, "code");
  }, {});
  const keyRef = useRef<HTMLElement>(null);
  const [copied, copy] = useCopy(formattedSecret.replace(/\s/g, ""), () => selectContents(keyRef.current));

  return (
    <div className="grid gap-8 md:grid-cols-[auto_1fr]">
      <ol className="space-y-6 text-sm">
        <li>
          <p className="font-medium">1. Scan this QR code with your authenticator app</p>
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            Google Authenticator, Microsoft Authenticator, 1Password, Authy and others work.
          </p>
          <div className="mt-3 inline-block rounded-lg bg-white p-3 ring-1 ring-slate-200">
            <QRCodeSVG value={uri} size={184} level="M" marginSize={2} title="QR code for your authenticator app" data-testid="totp-qr" />
          </div>
        </li>
        <li>
          <p className="font-medium">Can&apos;t scan it? Enter this setup key instead</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              ref={keyRef}
              data-testid="totp-secret"
              className="rounded bg-slate-100 px-2 py-1 font-mono text-sm tracking-wider dark:bg-slate-800"
            >
              {formattedSecret}
            </code>
            <button type="button" className={buttonClass("secondary")} onClick={copy}>
              {copied === "copied" ? "Copied" : "Copy key"}
            </button>
          </div>
          <p role="status" className="mt-1 text-xs text-amber-800 empty:hidden dark:text-amber-300">
            {copied === "failed" && "Could not copy to the clipboard: the key is selected, press Ctrl+C (⌘C on a Mac)."}
          </p>
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Time-based, 6 digits, every 30 seconds.</p>
        </li>
      </ol>
      <form action={action} className="max-w-sm space-y-4" noValidate aria-label="Confirm authenticator app">
        <p className="text-sm font-medium">2. Name it and enter the code it shows</p>
        <FormMessage state={state} />
        <input type="hidden" name="factorId" value={factorId} />
        <Field
          label="Name"
          name="name"
          defaultValue="Authenticator app"
          maxLength={60}
          state={state}
          hint="So you can tell your devices apart, like “Work phone”."
        />
        <CodeField state={state} label="6-digit code" />
        <SubmitButton pendingText="Verifying…">Verify and turn on</SubmitButton>
      </form>
    </div>
  );
}
