import type { Metadata } from "next";
import { Card, TextLink } from "@/components/ui";
import { readResetVerifiedCookie } from "@/lib/auth/reset-cookie";
import { RESET_LINK_MESSAGES, findResetLink, stepUpOptions, verifiedBy } from "@/lib/auth/reset-links";
import { getDb } from "@/lib/db/client";
import { NewPasswordForm, StepUpForms } from "./reset-forms";

// The token is in the URL: never send it onwards in a Referer header, never index the page.
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

const muted = "text-sm text-slate-600 dark:text-slate-400";

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  const found = await findResetLink(db, token);
  if (found.status !== "ok") {
    const { title, text } = RESET_LINK_MESSAGES[found.status];
    return (
      <Card>
        <h1 className="mb-2 text-xl font-semibold">{title}</h1>
        <p className={muted} data-testid="reset-link-problem" data-status={found.status}>
          {text}
        </p>
        <p className="mt-6 text-sm">
          <TextLink href="/forgot-password">Ask for a new link</TextLink> or <TextLink href="/login">sign in</TextLink>
        </p>
      </Card>
    );
  }
  const { link } = found;
  const step = await stepUpOptions(db, link);
  const verified = !step.required || verifiedBy(link.reset, await readResetVerifiedCookie());
  const account = <span className="font-medium text-slate-900 dark:text-slate-100">{link.user.email}</span>;
  if (!verified) {
    return (
      <Card>
        <h1 className="mb-1 text-xl font-semibold">Confirm it’s you</h1>
        <p className={`mb-6 ${muted}`}>
          Before you choose a new password for {account}, confirm with {step.totp ? "your authenticator app" : "one of your recovery codes"}
          . An email code is not enough here: it would go to the same mailbox as this link.
        </p>
        <StepUpForms token={token} totp={step.totp} recovery={step.recovery} />
        <p className={`mt-6 ${muted}`}>Lost your phone and your recovery codes? Ask your organisation’s admin for help.</p>
      </Card>
    );
  }
  return (
    <Card>
      <h1 className="mb-1 text-xl font-semibold">Choose a new password</h1>
      <p className={`mb-6 ${muted}`}>
        For {account}. Afterwards every session of the account ends, and you sign in with the new password (and your second factor, if you
        use one).
      </p>
      <NewPasswordForm token={token} email={link.user.email} />
    </Card>
  );
}
