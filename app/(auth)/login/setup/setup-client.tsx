"use client";
import { useActionState, useState } from "react";
import { finishLogin, finishLoginIfOk } from "@/components/complete-login";
import { FormMessage, SubmitButton } from "@/components/form";
import { TotpEnrolment } from "@/components/totp-enrolment";
import type { ActionState } from "@/lib/action";
import { EmailEnrolment } from "@/components/email-enrolment";
import { confirmSetupEmailAction, confirmSetupTotpAction, sendSetupEmailCodeAction, skipSetupAction } from "./actions";

export function SetupTotp(props: { factorId: string; uri: string; formattedSecret: string; orgName: string; callbackUrl: string }) {
  const [error, setError] = useState<string>();
  return (
    <>
      {error && <FormMessage state={{ ok: false, error }} />}
      <TotpEnrolment
        {...props}
        confirmAction={confirmSetupTotpAction}
        finishLabel="Continue"
        onFinished={async () => {
          setError((await finishLogin(props.callbackUrl)).error);
        }}
      />
    </>
  );
}

export function SkipSetup({ callbackUrl, until }: { callbackUrl: string; until: string }) {
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

export function SetupEmail({ address, orgName, callbackUrl, suggestApp }: { address: string; orgName: string; callbackUrl: string; suggestApp: boolean }) {
  const [error, setError] = useState<string>();
  return (
    <>
      {error && <FormMessage state={{ ok: false, error }} />}
      <EmailEnrolment
        address={address}
        orgName={orgName}
        suggestApp={suggestApp}
        sendAction={sendSetupEmailCodeAction}
        confirmAction={confirmSetupEmailAction}
        finishLabel="Continue"
        onFinished={async () => {
          setError((await finishLogin(callbackUrl)).error);
        }}
      />
    </>
  );
}
