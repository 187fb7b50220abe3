import type { Metadata } from "next";
import { Card, Notice, PageTitle, TextLink } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { isMethodAllowed } from "@/lib/mfa/policy";
import { ProfileTotpEnrolment } from "./enrol-client";

export const metadata: Metadata = { title: "Add authenticator app" };
export const dynamic = "force-dynamic";

export default async function AddAuthenticatorPage() {
  const user = await requireUser({ enrolment: true });
  if (!isMethodAllowed(user.org, "totp")) {
    return (
      <Notice tone="warning" title="Not allowed">
        Your organisation does not allow authenticator apps. <TextLink href="/profile">Back to profile</TextLink>
      </Notice>
    );
  }
  const enrolment = await startTotpEnrolment(await getDb(), user);
  return (
    <>
      <PageTitle description="Use an app on your phone to get sign-in codes.">Add authenticator app</PageTitle>
      <Card>
        <ProfileTotpEnrolment factorId={enrolment.factorId} uri={enrolment.uri} formattedSecret={enrolment.formattedSecret} orgName={user.org.name} />
      </Card>
      <p className="mt-4 text-sm">
        <TextLink href="/profile">Cancel</TextLink>
      </p>
    </>
  );
}
