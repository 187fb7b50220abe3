/**
 * Sample messages for the dev mailbox ("Send a sample" on /dev/mailbox): preview every template and
 * check the mail set-up (they go through sendMail, so to SMTP when SMTP_URL is set). Development only.
 */
import { randomInt } from "node:crypto";
import { z } from "zod";
import { digestEmail } from "@/lib/alerts/digest";
import { incidentEmail, memberAlertEmail, reminderEmail } from "@/lib/alerts/messages";
import { devMailboxEnabled } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { email } from "@/lib/validation";
import { invitationElsewhereEmail, signupExistingAccountEmail, signupLinkEmail } from "./account-templates";
import { sendMail } from "./index";
import { sampleKinds, type SampleKind } from "./sample-kinds";
import { enrolCodeEmail, invitationEmail, loginCodeEmail, securityNoticeEmail, type Email } from "./templates";

export const sampleSchema = z.object({
  to: email,
  kind: z.enum(sampleKinds, { error: "Choose a template." }),
});

const ORG = "Sample Org";
const USER = "Sam Tester";

export function sampleEmail(kind: SampleKind): Email {
  const base = process.env.NEXTAUTH_URL ?? "http://localhost:3000";
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  switch (kind) {
    case "login-code":
      return loginCodeEmail({ orgName: ORG, userName: USER, code, minutesValid: 10 });
    case "enrol-code":
      return enrolCodeEmail({ orgName: ORG, userName: USER, code, minutesValid: 10 });
    case "invitation":
      return invitationEmail({
        orgName: ORG,
        inviterName: "Ada Admin",
        userName: USER,
        link: `${base}/invite/sample-not-a-real-token`,
        expiresOn: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000),
      });
    case "security-notice":
      return securityNoticeEmail({
        orgName: ORG,
        userName: USER,
        title: "Two-factor authentication turned on",
        lines: ["Two-factor authentication is now on for your account.", "From now on, signing in asks for a code after your password."],
      });
    case "signup-link":
      return signupLinkEmail({
        orgName: ORG,
        userName: USER,
        link: `${base}/signup/confirm/sample-not-a-real-token`,
        expiresOn: new Date(Date.now() + 24 * 3600 * 1000),
      });
    case "signup-existing":
      return signupExistingAccountEmail({ orgName: ORG, userName: USER, loginUrl: `${base}/login` });
    case "invitation-elsewhere":
      return invitationElsewhereEmail({ orgName: ORG, inviterName: "Ada Admin", userName: USER, loginUrl: `${base}/login` });
    case "admin-alert":
      return memberAlertEmail(
        "mfa-locked",
        { orgName: ORG, userName: "Ada Admin" },
        {
          member: { id: "00000000-0000-4000-8000-000000000000", name: USER, email: "sam@example.test" },
          at: new Date(),
          ip: "203.0.113.7",
        },
        base,
      );
    case "grace-reminder":
      return reminderEmail(
        { orgName: ORG, userName: USER },
        { daysLeft: 7, lastDay: new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10) },
        base,
      );
    case "weekly-digest":
      return digestEmail(
        { orgName: ORG, userName: "Ada Admin" },
        {
          members: 6,
          with2fa: 4,
          byMethod: { totp: 3, email: 1, webauthn: 0 },
          notEnrolled: [
            { name: USER, email: "sam@example.test", deadline: "by 2026-12-01", status: "due" },
            { name: "Olly Overdue", email: "olly@example.test", deadline: "overdue: required now", status: "overdue" },
          ],
          lockouts: [{ name: "Lee Locked", count: 1 }],
          resets: 1,
        },
        { from: "2026-11-16", to: "2026-11-23" },
        base,
      );
    case "incident-notice":
      return incidentEmail({ orgName: ORG, userName: USER }, { action: "signed-out", reason: "A laptop was stolen" }, base);
  }
}

export async function sendSampleMail(to: string, kind: SampleKind): Promise<void> {
  if (!devMailboxEnabled()) throw new AppError("not_found", "Not available.");
  const email = sampleEmail(kind);
  await sendMail({ to, ...email, subject: `[Sample] ${email.subject}` });
}
