import type { Metadata } from "next";
import { Card, Notice, PageTitle, SectionTitle, TextLink } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { NameForm, PasswordForm } from "./account-forms";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  // Open while 2FA setup is still due (as the old profile page was); its actions then refuse with "set up 2FA first".
  const user = await requireUser({ enrolment: true });
  return (
    <>
      <PageTitle description={`${user.email} · ${user.org.name}`}>Account</PageTitle>
      <div className="space-y-6">
        {user.mustEnrol && (
          <Notice tone="warning" title="Set up two-factor authentication to continue">
            Your administrator requires two-factor authentication for your account.{" "}
            <TextLink href="/security/two-factor">Set it up now</TextLink>; until then the rest of the app is unavailable.
          </Notice>
        )}
        <Card>
          <SectionTitle id="account">Your name</SectionTitle>
          <NameForm name={user.name} />
        </Card>
        <Card>
          <SectionTitle id="password" description="You need your current password to choose a new one.">
            Password
          </SectionTitle>
          <PasswordForm />
        </Card>
      </div>
    </>
  );
}
