import type { Metadata } from "next";
import { SignInExpired } from "@/components/sign-in-expired";
import { Card } from "@/components/ui";
import { findChallenge } from "@/lib/auth/challenge";
import { readChallengeToken } from "@/lib/auth/challenge-cookie";
import { getDb } from "@/lib/db/client";
import { loginEnrolmentState, startLoginTotpEnrolment } from "@/lib/mfa/login-enrolment";
import { formatGraceDay, isMethodAllowed, lastGraceDay } from "@/lib/mfa/policy";
import { safeCallbackUrl } from "@/lib/urls";
import { maskEmail } from "@/lib/mfa/email-shared";
import { SetupEmail, SetupTotp, SkipSetup } from "./setup-client";

export const metadata: Metadata = { title: "Set up two-factor authentication" };
export const dynamic = "force-dynamic";

export default async function LoginSetupPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  const db = await getDb();
  const challenge = await findChallenge(db, await readChallengeToken());
  const state = challenge ? await loginEnrolmentState(db, challenge) : null;
  if (!challenge || !state?.needed) {
    return <SignInExpired />;
  }
  const totpAllowed = isMethodAllowed(challenge.org, "totp");
  const emailAllowed = isMethodAllowed(challenge.org, "email");
  const enrolment = totpAllowed ? await startLoginTotpEnrolment(db, challenge) : null;
  const until = state.graceUntil ? formatGraceDay(lastGraceDay(state.graceUntil)) : null;
  return (
    <div className="relative left-1/2 w-[min(56rem,calc(100vw-2rem))] -translate-x-1/2">
      <Card>
        <h1 className="mb-1 text-xl font-semibold">Set up two-factor authentication</h1>
        <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
          {challenge.org.name} requires two-factor authentication for {challenge.user.email}.{" "}
          {state.canSkip && until ? `You can skip this until ${until}; after that you will not be able to sign in without it.` : "Set it up now to continue."}
        </p>
        {state.canSkip && until && (
          <div className="mb-6">
            <SkipSetup callbackUrl={callbackUrl} until={until} />
          </div>
        )}
        {enrolment && (
          <section aria-labelledby="setup-app">
            <h2 id="setup-app" className="mb-4 font-semibold">Authenticator app (recommended)</h2>
            <SetupTotp factorId={enrolment.factorId} uri={enrolment.uri} formattedSecret={enrolment.formattedSecret} orgName={challenge.org.name} callbackUrl={callbackUrl} />
          </section>
        )}
        {emailAllowed && (
          <details className={enrolment ? "mt-8 border-t border-slate-200 pt-6 dark:border-slate-800" : ""} open={!enrolment}>
            <summary className="cursor-pointer font-semibold">{enrolment ? "No phone? Use email codes instead" : "Email codes"}</summary>
            <div className="mt-4">
              <SetupEmail address={maskEmail(challenge.user.email)} orgName={challenge.org.name} callbackUrl={callbackUrl} suggestApp={false} />
            </div>
          </details>
        )}
        {!enrolment && !emailAllowed && <p className="text-sm">Your organisation allows no second-factor method yet. Ask your administrator.</p>}
      </Card>
    </div>
  );
}
