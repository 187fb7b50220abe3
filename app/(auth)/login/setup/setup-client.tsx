"use client";
import { useActionState, useState } from "react";
import { finishLogin, finishLoginIfOk } from "@/components/complete-login";
import { EmailEnrolment } from "@/components/email-enrolment";
import { EnrolmentSuccessCard, type EnrolmentDone } from "@/components/enrolment-success";
import { FormMessage, SubmitButton } from "@/components/form";
import { PasskeyEnrolment } from "@/components/passkey-enrolment";
import { TotpEnrolment } from "@/components/totp-enrolment";
import type { ActionState } from "@/lib/action";
import {
  confirmSetupEmailAction,
  confirmSetupTotpAction,
  finishSetupPasskeyAction,
  sendSetupEmailCodeAction,
  skipSetupAction,
  startSetupPasskeyAction,
} from "./actions";

type Props = {
  callbackUrl: string;
  orgName: string;
  /** What the card says first: who requires it, and whether it can still be skipped. */
  intro: React.ReactNode;
  /** The last day setup can be skipped ("2 Dec"), when it still can. */
  skipUntil: string | null;
  totp: { factorId: string; uri: string; formattedSecret: string } | null;
  /** The masked address email codes would go to, when the organisation allows them. */
  email: string | null;
  /** The organisation allows security keys and passkeys for this user's role. */
  passkey: boolean;
  footer: React.ReactNode;
};

/**
 * The sign-in's forced 2FA setup, as one card: set up an app (or email codes), or skip while the
 * grace period lasts. Once a method is confirmed the whole card becomes the success state (recovery
 * codes, then Continue): nothing of the set-up, the skip or "Not you?" is left on screen.
 */
export function SetupFlow({ callbackUrl, orgName, intro, skipUntil, totp, email, passkey, footer }: Props) {
  const [done, setDone] = useState<EnrolmentDone | null>(null);
  const [finishError, setFinishError] = useState<string>();
  if (done) {
    return (
      <EnrolmentSuccessCard
        {...done}
        orgName={orgName}
        address={email ?? undefined}
        finishLabel="Continue"
        onFinished={async () => setFinishError((await finishLogin(callbackUrl)).error)}
        error={finishError && <FormMessage state={{ ok: false, error: finishError }} />}
      />
    );
  }
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Set up two-factor authentication</h1>
      <div className="mb-6 text-sm text-slate-600 dark:text-slate-400">{intro}</div>
      {skipUntil && (
        <div className="mb-6">
          <SkipSetup callbackUrl={callbackUrl} until={skipUntil} />
        </div>
      )}
      {totp && (
        <section aria-labelledby="setup-app">
          <h2 id="setup-app" className="mb-4 font-semibold">
            Authenticator app (recommended)
          </h2>
          <TotpEnrolment {...totp} confirmAction={confirmSetupTotpAction} onConfirmed={(r) => setDone({ kind: "totp", ...r })} />
        </section>
      )}
      {passkey && (
        <section aria-labelledby="setup-key" className={totp ? "mt-8 border-t border-slate-200 pt-6 dark:border-slate-800" : ""}>
          <h2 id="setup-key" className="mb-4 font-semibold">
            Security key or passkey
          </h2>
          <PasskeyEnrolment
            startAction={startSetupPasskeyAction}
            finishAction={finishSetupPasskeyAction}
            onConfirmed={(r) => setDone({ kind: "webauthn", ...r })}
          />
        </section>
      )}
      {email && (
        <details className={totp || passkey ? "mt-8 border-t border-slate-200 pt-6 dark:border-slate-800" : ""} open={!totp}>
          <summary className="cursor-pointer font-semibold">
            {totp || passkey ? "No phone or key? Use email codes instead" : "Email codes"}
          </summary>
          <div className="mt-4">
            <EmailEnrolment
              address={email}
              suggestApp={false}
              sendAction={sendSetupEmailCodeAction}
              confirmAction={confirmSetupEmailAction}
              onConfirmed={(r) => setDone({ kind: "email", ...r })}
            />
          </div>
        </details>
      )}
      {!totp && !email && !passkey && (
        <p className="text-sm">Your organisation allows no second-factor method yet. Ask your administrator.</p>
      )}
      {footer}
    </>
  );
}

function SkipSetup({ callbackUrl, until }: { callbackUrl: string; until: string }) {
  const [state, action] = useActionState<ActionState, FormData>(async (prev, formData) => {
    return finishLoginIfOk(await skipSetupAction(prev, formData), callbackUrl);
  }, {});
  return (
    <form action={action} className="space-y-2" aria-label="Skip two-factor setup">
      <FormMessage state={state} />
      <SubmitButton tone="secondary" pendingText="Signing in…">
        Skip until {until}
      </SubmitButton>
    </form>
  );
}
