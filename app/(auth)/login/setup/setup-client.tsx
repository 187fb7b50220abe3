"use client";
import { useActionState, useState } from "react";
import { completeLogin } from "@/components/complete-login";
import { FormMessage, SubmitButton } from "@/components/form";
import { TotpEnrolment } from "@/components/totp-enrolment";
import type { ActionState } from "@/lib/action";
import { EmailEnrolment } from "@/components/email-enrolment";
import { confirmSetupEmailAction, confirmSetupTotpAction, sendSetupEmailCodeAction, skipSetupAction } from "./actions";

const FINISH_ERROR = "Your sign-in could not be completed. Please sign in again.";

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
          if (!(await completeLogin(props.callbackUrl))) setError(FINISH_ERROR);
        }}
      />
    </>
  );
}

export function SkipSetup({ callbackUrl, until }: { callbackUrl: string; until: string }) {
  const [state, action] = useActionState<ActionState, FormData>(async (prev, formData) => {
    const result = await skipSetupAction(prev, formData);
    if (result.ok && !(await completeLogin(callbackUrl))) return { ok: false, error: FINISH_ERROR };
    return result;
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
          if (!(await completeLogin(callbackUrl))) setError(FINISH_ERROR);
        }}
      />
    </>
  );
}
