"use client";
import { useActionState } from "react";
import { CodeField } from "@/components/code-field";
import { Field, FormMessage, SubmitButton, keepTyped } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { ADD_APP_HINT, DEFAULT_EMAIL_FACTOR_NAME, EMAIL_CODE_MINUTES, EMAIL_WEAKER_NOTE } from "@/lib/mfa/email-shared";
import { ResendButton, cooldownEnd } from "./resend-code";

export type EmailSendResult = { factorId: string; resendInSeconds: number };
export type EmailConfirmResult = { recoveryCodes: string[] | null };
type SendAction = (prev: ActionState<EmailSendResult> | undefined, input: FormData) => Promise<ActionState<EmailSendResult>>;
type ConfirmAction = (prev: ActionState<EmailConfirmResult> | undefined, input: FormData) => Promise<ActionState<EmailConfirmResult>>;

type SendState = ActionState<EmailSendResult> & { name?: string; resent?: boolean; cooldownUntil?: number | null };

/**
 * Setting up email codes as a second factor: a name, "Send verification code" (to the account's own
 * address), the 6-digit code from the email. Once it is accepted `onConfirmed` gets the result and the
 * caller shows the success (EnrolmentSuccess). Used in Security › Two-factor and, when 2FA is required,
 * during login: the caller passes its server actions (sendAction takes `name`; confirmAction takes
 * `factorId` and `code`).
 */
export function EmailEnrolment({
  address,
  sendAction,
  confirmAction,
  onConfirmed,
  suggestApp = false,
}: {
  /** Where the codes go, as it may be shown here (the full address, or a masked one during login). */
  address: string;
  sendAction: SendAction;
  confirmAction: ConfirmAction;
  onConfirmed: (result: EmailConfirmResult) => void;
  /** Adds "Add an app…" to the note that an app is safer (when the organisation allows apps). */
  suggestApp?: boolean;
}) {
  // A failed resend keeps the set-up it belongs to (factorId) and the name typed first.
  const [sendState, send] = useActionState<SendState, FormData>(async (prev, formData) => {
    const name = String(formData.get("name") ?? prev.name ?? DEFAULT_EMAIL_FACTOR_NAME);
    const result = await sendAction(prev, formData);
    const wait = result.ok ? result.data?.resendInSeconds : result.retryAfterSeconds;
    return {
      ...result,
      data: result.data ?? prev.data,
      name: result.ok ? name : (prev.name ?? name),
      resent: !!prev.data,
      cooldownUntil: cooldownEnd(wait) ?? (result.ok ? null : (prev.cooldownUntil ?? null)),
    };
  }, {});
  const [state, confirm] = useActionState<ActionState<EmailConfirmResult>, FormData>(async (prev, formData) => {
    const result = await confirmAction(prev, formData);
    if (result.ok) onConfirmed({ recoveryCodes: result.data?.recoveryCodes ?? null });
    return keepTyped(result, formData, "code");
  }, {});
  const addressText = <span className="font-medium text-slate-900 dark:text-slate-100">{address}</span>;

  const weaker = (
    <p
      data-testid="email-weaker-note"
      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
    >
      {EMAIL_WEAKER_NOTE}
      {suggestApp && ` ${ADD_APP_HINT}`}
    </p>
  );

  const factorId = sendState.data?.factorId;
  if (!factorId) {
    return (
      <form action={send} className="max-w-md space-y-4" noValidate aria-label="Set up email authentication">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          We will email a 6-digit code to {addressText}, the address of your account. Enter it here to turn email codes on.
        </p>
        {weaker}
        <FormMessage state={sendState} />
        <Field
          label="Name"
          name="name"
          defaultValue={sendState.name ?? DEFAULT_EMAIL_FACTOR_NAME}
          maxLength={60}
          state={sendState}
          hint="Shown in your list of second factors."
        />
        {/* A code sent moments ago (another tab, a reload) holds the cooldown: counted down here too. */}
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <ResendButton cooldownUntil={sendState.cooldownUntil ?? null} tone="primary">
            Send verification code
          </ResendButton>
        </div>
      </form>
    );
  }

  return (
    <div className="max-w-md space-y-4">
      <form action={confirm} className="space-y-4" noValidate aria-label="Confirm email authentication">
        {sendState.ok ? (
          <p role="status" data-testid="email-sent" className="text-sm text-slate-600 dark:text-slate-400">
            {sendState.resent ? (
              <>We sent a new code to {addressText}. Only the newest code works.</>
            ) : (
              <>
                We sent a 6-digit code to {addressText}. It works once, for {EMAIL_CODE_MINUTES} minutes.
              </>
            )}
          </p>
        ) : (
          <p
            role="alert"
            data-testid="email-send-error"
            className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          >
            {sendState.error}
          </p>
        )}
        <FormMessage state={state} />
        <input type="hidden" name="factorId" value={factorId} />
        <CodeField state={state} label="6-digit code" autoFocus />
        <SubmitButton pendingText="Verifying…">Verify and turn on</SubmitButton>
      </form>
      <form action={send} className="flex flex-wrap items-center gap-3 text-sm" aria-label="Send a new code">
        <input type="hidden" name="name" value={sendState.name ?? DEFAULT_EMAIL_FACTOR_NAME} />
        <span className="text-slate-600 dark:text-slate-400">No email?</span>
        <ResendButton cooldownUntil={sendState.cooldownUntil ?? null} />
      </form>
    </div>
  );
}
