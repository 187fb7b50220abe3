import type { Metadata } from "next";
import { Notice, PageTitle, TextLink } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { isMethodAllowed } from "@/lib/mfa/policy";
import { SecurityPasskeyEnrolment } from "./enrol-client";
import { returnTarget } from "../../_components/return-to";

export const metadata: Metadata = { title: "Add a security key or passkey" };
export const dynamic = "force-dynamic";

export default async function AddSecurityKeyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser({ enrolment: true });
  const back = returnTarget((await searchParams).return);
  if (!isMethodAllowed(user.org, "webauthn", user.role)) {
    return (
      <Notice tone="warning" title="Not allowed">
        Your organisation does not allow security keys or passkeys for your account.{" "}
        <TextLink href="/security/two-factor">Back to two-factor settings</TextLink>
      </Notice>
    );
  }
  return (
    <>
      <PageTitle description="The strongest second step: a key that only answers this site, so it cannot be phished.">
        Add a security key or passkey
      </PageTitle>
      <SecurityPasskeyEnrolment orgName={user.org.name} back={back} />
    </>
  );
}
