import type { Metadata } from "next";
import { Notice, PageTitle, TextLink } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { EMAIL_NOT_ALLOWED } from "@/lib/mfa/email-codes";
import { hasEmailFactor } from "@/lib/mfa/email-enrolment";
import { isMethodAllowed } from "@/lib/mfa/policy";
import { SecurityEmailEnrolment } from "./enrol-client";
import { returnTarget } from "../../_components/return-to";

export const metadata: Metadata = { title: "Set up email authentication" };
export const dynamic = "force-dynamic";

/** Renders only: nothing is created or sent until "Send verification code" (a server action). */
export default async function EmailEnrolmentPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser({ enrolment: true }); // part of setting up 2FA: open to users who must enrol
  const back = returnTarget((await searchParams).return);
  if (!isMethodAllowed(user.org, "email", user.role)) {
    return (
      <Notice tone="warning" title="Not allowed">
        {EMAIL_NOT_ALLOWED} <TextLink href="/security/two-factor">Back to two-factor settings</TextLink>
      </Notice>
    );
  }
  if (await hasEmailFactor(await getDb(), user.id)) {
    return (
      <Notice tone="info" title="Already set up">
        Email codes are already on for your account. <TextLink href="/security/two-factor">Back to two-factor settings</TextLink>
      </Notice>
    );
  }
  return (
    <>
      <PageTitle description="Get a sign-in code by email when you sign in.">Set up email authentication</PageTitle>
      <SecurityEmailEnrolment
        address={user.email}
        orgName={user.org.name}
        suggestApp={isMethodAllowed(user.org, "totp", user.role)}
        back={back}
      />
    </>
  );
}
