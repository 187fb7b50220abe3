import type { Metadata } from "next";
import { Card, TextLink } from "@/components/ui";
import { getDb } from "@/lib/db/client";
import { findSignupRequest, INVALID_SIGNUP_LINK } from "@/lib/orgs/signup-link";
import { ConfirmSignup } from "./confirm-form";

// The token is in the URL: never send it onwards in a Referer header, never index the page.
export const metadata: Metadata = { title: "Confirm sign-up", referrer: "no-referrer", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * Opening the link changes nothing (mail scanners and previews open links too): the page shows what
 * will be created, and the button creates it.
 */
export default async function ConfirmSignupPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const request = await findSignupRequest(await getDb(), token);
  if (!request) {
    return (
      <Card>
        <h1 className="mb-2 text-xl font-semibold">Sign-up link not valid</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="signup-link-invalid">
          {INVALID_SIGNUP_LINK}
        </p>
        <p className="mt-6 text-sm">
          <TextLink href="/signup">Sign up again</TextLink> · Already created your organisation? <TextLink href="/login">Sign in</TextLink>
        </p>
      </Card>
    );
  }
  return (
    <Card>
      <ConfirmSignup token={token} request={{ organizationName: request.organizationName, name: request.name, email: request.email }} />
    </Card>
  );
}
