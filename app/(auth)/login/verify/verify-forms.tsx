"use client";
import { createContext, startTransition, useActionState, useContext, useEffect, useRef, useState } from "react";
import { CodeField } from "@/components/code-field";
import { postLoginStep, signInStep } from "@/components/complete-login";
import { Field, FormMessage, SubmitButton, buttonClass, keepTyped } from "@/components/form";
import { ResendButton, cooldownEnd } from "@/components/resend-code";
import type { ActionState } from "@/lib/action";
import { ADD_APP_HINT, EMAIL_CODE_MINUTES, EMAIL_WEAKER_NOTE, type SendLoginCodeResult } from "@/lib/mfa/email-shared";
import { sendEmailCodeAction } from "./actions";
import { PasskeyForm } from "./passkey-form";
import { TempCodeForm } from "./temp-code-form";

/** Days a browser may be remembered (the organisation's setting); 0 hides the option. */
const RememberDays = createContext(0);

function RememberCheckbox() {
  const days = useContext(RememberDays);
  if (days <= 0) return null;
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" name="remember" value="on" className="h-4 w-4" />
      Don&apos;t ask again on this browser for {days} day{days === 1 ? "" : "s"}
    </label>
  );
}

type Mode = "webauthn" | "totp" | "email" | "recovery" | "temp";

/**
 * What the screen knows about email codes for this login (null: not available to this user).
 * suggestApp: the user has no authenticator app and the organisation allows one.
 */
export type EmailOption = { maskedEmail: string; suggestApp: boolean } | null;

const switchClass = "font-medium text-blue-700 hover:underline dark:text-blue-400";

export function VerifyForms({
  callbackUrl,
  hasTotp,
  hasKey = false,
  keyFirst = false,
  email = null,
  rememberDays = 0,
  tempCode = false,
  children,
}: {
  callbackUrl: string;
  hasTotp: boolean;
  /** The user has a security key or passkey usable for this login. */
  hasKey?: boolean;
  /** Offer the key first: it is what the user used last (or their only method). */
  keyFirst?: boolean;
  email?: EmailOption;
  rememberDays?: number;
  /** The organisation allows temporary access codes from an admin. */
  tempCode?: boolean;
  children?: React.ReactNode;
}) {
  const [mode, setMode] = useState<Mode>(
    hasKey && (keyFirst || (!hasTotp && !email)) ? "webauthn" : hasTotp ? "totp" : email ? "email" : hasKey ? "webauthn" : "recovery",
  );
  const switches: { to: Mode; label: string }[] = [];
  if (hasKey && mode !== "webauthn") switches.push({ to: "webauthn", label: "Use your security key or passkey" });
  if (hasTotp && mode !== "totp") switches.push({ to: "totp", label: "Use your authenticator app instead" });
  if (email && mode !== "email") switches.push({ to: "email", label: "Email me a code" });
  if (mode !== "recovery") switches.push({ to: "recovery", label: "Use a recovery code instead" });
  if (tempCode && mode !== "temp") switches.push({ to: "temp", label: "Use a temporary access code from your admin" });
  return (
    <RememberDays.Provider value={rememberDays}>
      <div className="space-y-6">
        {mode === "webauthn" ? (
          <PasskeyForm callbackUrl={callbackUrl} remember={<RememberCheckbox />} />
        ) : mode === "totp" ? (
          <TotpForm callbackUrl={callbackUrl} />
        ) : mode === "temp" ? (
          <TempCodeForm />
        ) : mode === "email" && email ? (
          <EmailForm callbackUrl={callbackUrl} maskedEmail={email.maskedEmail} suggestApp={email.suggestApp} />
        ) : (
          <RecoveryForm callbackUrl={callbackUrl} />
        )}
        {children}
        {switches.length > 0 && (
          <div className="flex flex-col items-start gap-2 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
            {switches.map((s) => (
              <button key={s.to} type="button" className={switchClass} onClick={() => setMode(s.to)}>
                {s.label}
              </button>
            ))}
          </div>
        )}
      </div>
    </RememberDays.Provider>
  );
}

type SendState = ActionState<SendLoginCodeResult> & { mode?: "auto" | "resend"; cooldownUntil?: number | null };

/**
 * Sign-in with an emailed code. Opening it asks the server for a code ("auto": sent only if this login
 * has none yet, so a reload or React's double effects send one email); "Send a new code" replaces it.
 */
function EmailForm({ callbackUrl, maskedEmail, suggestApp }: { callbackUrl: string; maskedEmail: string; suggestApp: boolean }) {
  const [sendState, send, sending] = useActionState<SendState, FormData>(async (prev, formData) => {
    const mode = formData.get("mode") === "auto" ? "auto" : "resend";
    const result = await sendEmailCodeAction(prev, formData);
    const wait = result.ok ? result.data?.resendInSeconds : result.retryAfterSeconds;
    return { ...result, mode, cooldownUntil: cooldownEnd(wait) ?? (result.ok ? null : (prev.cooldownUntil ?? null)) };
  }, {});
  const [state, verify] = useActionState<ActionState, FormData>(async (_prev, formData) => {
    formData.set("method", "email");
    return keepTyped(await signInStep("/api/login/verify", formData, callbackUrl), formData, "code");
  }, {});
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    const formData = new FormData();
    formData.set("mode", "auto");
    startTransition(() => send(formData));
  }, [send]);

  const address = <span className="font-medium text-slate-900 dark:text-slate-100">{maskedEmail}</span>;
  let sendMessage: React.ReactNode = null;
  if (sending && !sendState.mode) {
    sendMessage = (
      <p data-testid="email-sending" className="text-sm text-slate-600 dark:text-slate-400">
        Sending a code to {address}…
      </p>
    );
  } else if (sendState.error) {
    sendMessage = (
      <p
        role="alert"
        data-testid="email-send-error"
        className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
      >
        {sendState.error}
      </p>
    );
  } else if (sendState.ok) {
    sendMessage = (
      <p role="status" data-testid="email-sent" className="text-sm text-slate-600 dark:text-slate-400">
        {sendState.mode === "resend" ? (
          <>We sent a new code to {address}. Only the newest code works.</>
        ) : (
          <>
            We emailed a 6-digit code to {address}. It works once, for {EMAIL_CODE_MINUTES} minutes.
          </>
        )}
      </p>
    );
  }

  return (
    <div className="space-y-4">
      <form action={verify} className="space-y-4" noValidate aria-label="Sign in with an emailed code">
        {sendMessage}
        <FormMessage state={state} />
        <CodeField state={state} label="Code from the email" autoFocus />
        <RememberCheckbox />
        <SubmitButton className="w-full" pendingText="Verifying…">
          Verify code
        </SubmitButton>
      </form>
      <form action={send} className="flex flex-wrap items-center gap-3 text-sm" aria-label="Send a new code">
        <input type="hidden" name="mode" value="resend" />
        <span className="text-slate-600 dark:text-slate-400">No email?</span>
        <ResendButton cooldownUntil={sendState.cooldownUntil ?? null} disabled={sending} />
      </form>
      <p
        data-testid="email-weaker-note"
        className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-600 dark:border-slate-800 dark:bg-slate-800/50 dark:text-slate-400"
      >
        {EMAIL_WEAKER_NOTE}
        {suggestApp && ` ${ADD_APP_HINT}`}
      </p>
    </div>
  );
}

function TotpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState<ActionState, FormData>(async (_prev, formData) => {
    formData.set("method", "totp");
    return keepTyped(await signInStep("/api/login/verify", formData, callbackUrl), formData, "code");
  }, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Sign in with your authenticator app">
      <p className="text-sm text-slate-600 dark:text-slate-400">Open your authenticator app and enter the 6-digit code for this account.</p>
      <FormMessage state={state} />
      <CodeField state={state} label="Authentication code" autoFocus />
      <RememberCheckbox />
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify
      </SubmitButton>
    </form>
  );
}

function RecoveryForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState<ActionState<{ remaining: number; low: boolean }>, FormData>(async (_prev, formData) => {
    formData.set("method", "recovery");
    return keepTyped(await postLoginStep<{ remaining: number; low: boolean }>("/api/login/verify", formData), formData, "code");
  }, {});
  const [continuing, setContinuing] = useState(false);
  if (state.ok && state.data) {
    const { remaining, low } = state.data;
    return (
      <div className="space-y-4">
        <p
          role="status"
          data-testid="recovery-accepted"
          className={`rounded-md px-3 py-2 text-sm ${low ? "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" : "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"}`}
        >
          Recovery code accepted. You have {remaining} recovery code{remaining === 1 ? "" : "s"} left.
          {low && " Generate a new set in your profile soon, or you may be locked out."}
        </p>
        {/* Signed in already (the answer carried the session): Continue only loads the page. */}
        <button
          type="button"
          className={`${buttonClass()} w-full`}
          disabled={continuing}
          onClick={() => {
            setContinuing(true);
            window.location.assign(callbackUrl);
          }}
        >
          {continuing ? "Signing in…" : "Continue"}
        </button>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Sign in with a recovery code">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.
      </p>
      <FormMessage state={state} />
      <Field
        label="Recovery code"
        name="code"
        autoComplete="off"
        spellCheck={false}
        placeholder="xxxx-xxxx-xxxx-xxxx"
        required
        state={state}
        autoFocus
      />
      <RememberCheckbox />
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify recovery code
      </SubmitButton>
    </form>
  );
}
