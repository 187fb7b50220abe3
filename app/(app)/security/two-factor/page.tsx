import type { Metadata } from "next";
import { Notice } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { TwoFactorSection } from "./section";
import { returnTarget } from "../_components/return-to";

export const metadata: Metadata = { title: "Two-factor authentication" };

/** Outcomes of changes whose form goes away afterwards (?notice=…). */
const NOTICES: Record<string, string> = {
  "factor-removed": "The second factor was removed. Your other sessions were signed out.",
  "mfa-off": "Two-factor authentication is off. Your other sessions were signed out.",
};

export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser({ enrolment: true }); // setting up 2FA is what a user who must enrol may do
  const params = await searchParams;
  const back = returnTarget(params.return);
  const notice = typeof params.notice === "string" ? NOTICES[params.notice] : undefined;
  return (
    <TwoFactorSection user={user} back={back}>
      {user.mustEnrol && (
        <Notice tone="warning" title="Set up two-factor authentication to continue">
          Your administrator requires two-factor authentication for your account. Add a method below; until then the rest of the app is
          unavailable.
        </Notice>
      )}
      {notice && <Notice tone="success">{notice}</Notice>}
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
      {params.welcome === "1" && (
        <Notice tone="success" title="Your organisation is ready">
          Protect your account next: set up two-factor authentication below.
        </Notice>
      )}
      {back && (
        <Notice tone="info" title="Your own 2FA first">
          Add a method below. Afterwards “{back.label}” takes you back, with your changes as you left them.
        </Notice>
      )}
    </TwoFactorSection>
  );
}
