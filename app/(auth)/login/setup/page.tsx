import type { Metadata } from "next";
import { SignInExpired } from "@/components/sign-in-expired";
import { Card, TextLink } from "@/components/ui";
import { findChallenge } from "@/lib/auth/challenge";
import { readChallengeToken } from "@/lib/auth/challenge-cookie";
import { getDb } from "@/lib/db/client";
import { maskEmail } from "@/lib/mfa/email-shared";
import { loginEnrolmentState, startLoginTotpEnrolment } from "@/lib/mfa/login-enrolment";
import { formatGraceDay, isMethodAllowed, lastGraceDay } from "@/lib/mfa/policy";
import { requestLocale } from "@/lib/request-context";
import { safeCallbackUrl } from "@/lib/urls";
import { SetupFlow } from "./setup-client";

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
  const enrolment = isMethodAllowed(challenge.org, "totp", challenge.user.role) ? await startLoginTotpEnrolment(db, challenge) : null;
  const until =
    state.canSkip && state.graceUntil ? formatGraceDay(lastGraceDay(state.graceUntil), new Date(), await requestLocale()) : null;
  return (
    <div className="relative left-1/2 w-[min(56rem,calc(100vw-2rem))] -translate-x-1/2">
      <Card>
        <SetupFlow
          callbackUrl={callbackUrl}
          orgName={challenge.org.name}
          intro={
            <p>
              {challenge.org.name} requires two-factor authentication for {challenge.user.email}.{" "}
              {until
                ? `You can skip this until ${until}; after that you will not be able to sign in without it.`
                : "Set it up now to continue."}
            </p>
          }
          skipUntil={until}
          totp={enrolment && { factorId: enrolment.factorId, uri: enrolment.uri, formattedSecret: enrolment.formattedSecret }}
          email={isMethodAllowed(challenge.org, "email", challenge.user.role) ? maskEmail(challenge.user.email) : null}
          passkey={isMethodAllowed(challenge.org, "webauthn", challenge.user.role)}
          footer={
            <p className="mt-8 border-t border-slate-200 pt-4 text-center text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
              Not you? <TextLink href="/login">Start over</TextLink>
            </p>
          }
        />
      </Card>
    </div>
  );
}
