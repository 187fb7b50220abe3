import type { Metadata } from "next";
import { Card, Notice, PageTitle, SectionTitle } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { NameForm, PasswordForm } from "./profile-forms";
import { TwoFactorSection } from "./two-factor/section";
import { LoginHistory } from "./login-history";
import { RememberedDevices } from "./remembered-devices";
import { ActiveSessions } from "./sessions";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser({ enrolment: true });
  const params = await searchParams;
  return (
    <>
      <PageTitle description={`${user.email} · ${user.org.name}`}>Profile</PageTitle>
      <div className="space-y-6">
        {user.mustEnrol && (
          <Notice tone="warning" title="Set up two-factor authentication to continue">
            Your administrator requires two-factor authentication for your account. Add an authenticator app below; until then the rest of the app is unavailable.
          </Notice>
        )}
        {(params.notice === "temp-code" || params.notice === "temp-code-removed") && (
          <Notice tone="warning" title="Set up a new authenticator now">
            <span data-testid="temp-code-notice">
              You signed in with a temporary access code from your administrator; it will not work again.{" "}
              {params.notice === "temp-code-removed"
                ? "As your administrator chose, your old second factors and recovery codes were removed: add a new authenticator app below."
                : "Add a new authenticator app below, then remove the one you lost."}
            </span>
          </Notice>
        )}
        {params.notice === "factor-removed" && (
          <Notice tone="success">The second factor was removed. Your other sessions were signed out.</Notice>
        )}
        {params.notice === "mfa-off" && (
          <Notice tone="success">Two-factor authentication is off. Your other sessions were signed out.</Notice>
        )}
        {params.welcome === "1" && (
          <Notice tone="success" title="Your organisation is ready">
            Protect your account next: set up two-factor authentication below.
          </Notice>
        )}
        <Card>
          <SectionTitle id="account">Account</SectionTitle>
          <NameForm name={user.name} />
        </Card>
        <Card>
          <SectionTitle id="password" description="You need your current password to choose a new one.">
            Password
          </SectionTitle>
          <PasswordForm />
        </Card>
        <TwoFactorSection user={user} />
        <RememberedDevices user={user} />
        <Card>
          <ActiveSessions user={user} />
        </Card>
        <Card>
          <LoginHistory user={user} />
        </Card>
      </div>
    </>
  );
}
