import type { Metadata } from "next";
import { Notice, PageTitle, TextLink } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { isMethodAllowed } from "@/lib/mfa/policy";
import { SecurityTotpEnrolment } from "./enrol-client";
import { returnTarget } from "../../_components/return-to";

export const metadata: Metadata = { title: "Add authenticator app" };
export const dynamic = "force-dynamic";

export default async function AddAuthenticatorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser({ enrolment: true });
  const back = returnTarget((await searchParams).return);
  if (!isMethodAllowed(user.org, "totp", user.role)) {
    return (
      <Notice tone="warning" title="Not allowed">
        Your organisation does not allow authenticator apps. <TextLink href="/security/two-factor">Back to two-factor settings</TextLink>
      </Notice>
    );
  }
  const enrolment = await startTotpEnrolment(await getDb(), user);
  return (
    <>
      <PageTitle description="Use an app on your phone to get sign-in codes.">Add authenticator app</PageTitle>
      <SecurityTotpEnrolment
        factorId={enrolment.factorId}
        uri={enrolment.uri}
        formattedSecret={enrolment.formattedSecret}
        orgName={user.org.name}
        back={back}
      />
    </>
  );
}
