/**
 * Security emails to the account owner (S25). Never carry a secret. A failure to send is logged and
 * does not undo the change that was already committed.
 */
import { sendMail } from "@/lib/mail";
import { securityNoticeEmail } from "@/lib/mail/templates";

export type SecurityNotice =
  | "mfa-enabled"
  | "factor-added"
  | "factor-removed"
  | "mfa-disabled"
  | "recovery-regenerated"
  | "recovery-used"
  | "mfa-removed-by-admin"
  | "device-remembered"
  | "mfa-locked";

type Recipient = { email: string; name: string; org: { name: string } };

const typeName = (t?: unknown) => (t === "email" ? "email codes" : "an authenticator app");

function describe(kind: SecurityNotice, d: Record<string, unknown>): { title: string; lines: string[] } {
  switch (kind) {
    case "mfa-enabled":
      return { title: "Two-factor authentication is on", lines: [`You turned on two-factor authentication with ${typeName(d.type)} (“${d.factorName}”).`] };
    case "factor-added":
      return { title: "A second factor was added", lines: [`A new second factor was added to your account: ${typeName(d.type)} (“${d.factorName}”).`] };
    case "factor-removed":
      return { title: "A second factor was removed", lines: [`“${d.factorName}” was removed from your account.`] };
    case "mfa-disabled":
      return { title: "Two-factor authentication is off", lines: ["You turned off two-factor authentication. Your account is now protected by your password only."] };
    case "recovery-regenerated":
      return { title: "New recovery codes", lines: ["You generated a new set of recovery codes. The previous codes no longer work."] };
    case "recovery-used":
      return { title: "A recovery code was used", lines: [`A recovery code was used to sign in to your account. ${d.remaining} recovery codes remain.`] };
    case "mfa-removed-by-admin":
      return { title: "Your two-factor authentication was reset", lines: [`An administrator (${d.adminName}) removed two-factor authentication from your account.`, `Reason given: ${d.reason}`] };
    case "device-remembered":
      return { title: "A browser was remembered", lines: [`A browser (${d.device}) will skip the second step of sign-in until ${d.until}.`] };
    case "mfa-locked":
      return { title: "Sign-in locked after failed codes", lines: ["Too many incorrect codes were entered after your password. Two-step sign-in is locked for 15 minutes."] };
  }
}

export async function notifyUser(user: Recipient, kind: SecurityNotice, detail: Record<string, unknown> = {}) {
  const { title, lines } = describe(kind, detail);
  // The shared layout: text and HTML parts, product and organisation name, every value escaped.
  const email = securityNoticeEmail({ orgName: user.org.name, userName: user.name, title, lines });
  try {
    await sendMail({ to: user.email, ...email });
  } catch {
    // sendMail has logged the failure (without content); the change itself stands.
  }
}
