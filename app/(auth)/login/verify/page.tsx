import type { Metadata } from "next";
import { SignInExpired } from "@/components/sign-in-expired";
import { Card, TextLink } from "@/components/ui";
import { findChallenge } from "@/lib/auth/challenge";
import { readChallengeToken } from "@/lib/auth/challenge-cookie";
import { getDb } from "@/lib/db/client";
import { loginEmailStatus } from "@/lib/mfa/email-login";
import { usableFactors } from "@/lib/mfa/factors";
import { isMethodAllowed } from "@/lib/mfa/policy";
import { safeCallbackUrl } from "@/lib/urls";
import { VerifyForms } from "./verify-forms";

export const metadata: Metadata = { title: "Two-factor authentication" };
export const dynamic = "force-dynamic";

export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  const db = await getDb();
  const challenge = await findChallenge(db, await readChallengeToken());
  if (!challenge || challenge.challenge.completedAt) {
    return <SignInExpired />;
  }
  const factors = await usableFactors(db, challenge.user, challenge.org);
  const hasTotp = factors.some((f) => f.type === "totp");
  const hasKey = factors.some((f) => f.type === "webauthn");
  // The key comes first when it is the user's most recent method (last used, or added, latest).
  const recent = (f: (typeof factors)[number]) => (f.lastUsedAt ?? f.createdAt).getTime();
  const keyFirst = [...factors].sort((a, b) => recent(b) - recent(a))[0]?.type === "webauthn";
  // Read-only: rendering sends nothing; the email form asks for a code when it opens (a server action).
  const email = await loginEmailStatus(db, challenge);
  return (
    <Card>
      <h1 className="mb-1 text-xl font-semibold">Two-factor authentication</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        Signing in as <span className="font-medium text-slate-900 dark:text-slate-100">{challenge.user.email}</span>
      </p>
      <VerifyForms
        callbackUrl={callbackUrl}
        hasTotp={hasTotp}
        hasKey={hasKey}
        keyFirst={keyFirst}
        rememberDays={challenge.org.rememberDeviceDays}
        tempCode={challenge.org.tempCodesEnabled}
        email={
          email && { maskedEmail: email.maskedEmail, suggestApp: !hasTotp && isMethodAllowed(challenge.org, "totp", challenge.user.role) }
        }
      />
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Not you? <TextLink href="/login">Start over</TextLink>
      </p>
    </Card>
  );
}
