/**
 * Security emails to the account owner (S25). Never carry a secret. A failure to send is logged and
 * does not undo the change that was already committed.
 */
import { MFA_LIMIT, minutesText } from "@/lib/attempts";
import { sendMail, type MailMessage } from "@/lib/mail";
import { formatMailDate, securityNoticeEmail } from "@/lib/mail/templates";
import { clientKindLabel, describeUserAgent } from "@/lib/user-agent";

export type SecurityNotice =
  | "mfa-enabled"
  | "factor-added"
  | "factor-removed"
  | "mfa-disabled"
  | "recovery-regenerated"
  | "recovery-used"
  | "device-remembered"
  | "mfa-locked"
  | "new-browser-sign-in"
  | "password-changed"
  | "temp-code-issued"
  | "temp-code-used"
  | "password-reset";

type Recipient = { email: string; name: string; org: { name: string } };

const typeName = (t?: unknown) => (t === "email" ? "email codes" : t === "webauthn" ? "a security key or passkey" : "an authenticator app");

/** An app signed in through the JSON API names itself: "App: Guardian CLI (command line)". */
function clientLine(client: unknown) {
  const c = client as { name?: unknown; kind?: unknown } | undefined;
  return typeof c?.name === "string" && typeof c.kind === "string" ? `App: ${c.name} (${clientKindLabel(c.kind)})` : null;
}

/** When, which browser, from which address: what lets the owner recognise (or not) their own action. */
function where(d: Record<string, unknown>) {
  return [
    `Time: ${formatMailDate(d.at instanceof Date ? d.at : new Date())}`,
    clientLine(d.client) ?? `Browser: ${describeUserAgent(typeof d.userAgent === "string" ? d.userAgent : "").text}`,
    `Network address (approximate): ${typeof d.ip === "string" && d.ip ? d.ip : "unknown"}; it may be your internet provider's, employer's or VPN's`,
  ];
}

function describe(kind: SecurityNotice, d: Record<string, unknown>): { title: string; lines: string[]; footer?: string } {
  switch (kind) {
    case "mfa-enabled":
      return {
        title: "Two-factor authentication is on",
        lines: [`You turned on two-factor authentication with ${typeName(d.type)} (“${d.factorName}”).`],
      };
    case "factor-added":
      return {
        title: "A second factor was added",
        lines: [`A new second factor was added to your account: ${typeName(d.type)} (“${d.factorName}”).`],
      };
    case "factor-removed":
      return { title: "A second factor was removed", lines: [`“${d.factorName}” was removed from your account.`] };
    case "mfa-disabled":
      return {
        title: "Two-factor authentication is off",
        lines: ["You turned off two-factor authentication. Your account is now protected by your password only."],
      };
    case "recovery-regenerated":
      return { title: "New recovery codes", lines: ["You generated a new set of recovery codes. The previous codes no longer work."] };
    case "recovery-used":
      return {
        title: "A recovery code was used",
        lines: [
          `A recovery code was used to ${d.purpose === "password-reset" ? "confirm a password reset for" : "sign in to"} your account. ${d.remaining} recovery codes remain.`,
        ],
      };
    case "device-remembered":
      return {
        title: "A browser was remembered",
        lines: [`A browser (${d.device}) will skip the second step of sign-in until ${d.until}.`],
      };
    case "mfa-locked":
      return d.purpose === "password-reset"
        ? {
            title: "Sign-in locked after failed codes",
            lines: [
              `Too many incorrect codes were entered to reset your password with a link emailed to this address. Two-step sign-in is locked for ${minutesText(MFA_LIMIT.lockSeconds)}.`,
              "If this was not you, someone can read your email: secure your mailbox and tell your organisation's admin.",
            ],
          }
        : {
            title: "Sign-in locked after failed codes",
            lines: [
              `Too many incorrect codes were entered after your password. Two-step sign-in is locked for ${minutesText(MFA_LIMIT.lockSeconds)}.`,
            ],
          };
    case "new-browser-sign-in":
      return {
        title: "New sign-in from a browser you have not used before",
        lines: ["Your account was just signed in to from a browser it has not been used with before.", ...where(d)],
        footer:
          "If this was you, there is nothing to do. If it wasn't, someone knows your password (and got past your second factor, if you use one): " +
          "change your password now, sign out of your other sessions on your profile page, and tell your organisation's admin.",
      };
    case "password-changed":
      return {
        title: "Your password was changed",
        lines: [
          "The password of your account was changed. Your other sessions were signed out and remembered browsers forgotten.",
          ...where(d),
        ],
        footer:
          "If you did not change it, someone else has access to your account: contact your organisation's admin at once so they can " +
          "deactivate the account and end its sessions.",
      };
    case "temp-code-issued":
      return {
        title: "A temporary access code was issued for your account",
        lines: [
          `${d.issuer} issued a temporary access code for your account. It can be used once, in place of your second factor, until ${formatMailDate(d.expiresAt instanceof Date ? d.expiresAt : new Date())}.`,
          ...(d.reason ? [`Reason given: ${d.reason}`] : []),
          ...(d.removeFactors ? ["When it is used, your current second factors and recovery codes will be removed."] : []),
          "The code itself is never sent by email: it is given to you directly, for example over the phone.",
        ],
        footer: "If you did not ask for this, contact your organisation's admin right away: they can revoke the code.",
      };
    case "temp-code-used":
      return {
        title: "A temporary access code was used",
        lines: [
          "A temporary access code from your administrator was used to sign in to your account, in place of your second factor.",
          ...(d.factorsRemoved
            ? [
                "As the administrator chose, your previous second factors, recovery codes and remembered browsers were removed, and your other sessions were signed out.",
              ]
            : []),
          ...where(d),
        ],
        footer: "Set up a new authenticator on your profile page now. If this was not you, contact your organisation's admin at once.",
      };
    case "password-reset":
      return {
        title: "Your password was reset",
        lines: [
          `The password of your account was reset with a link emailed to this address${d.sentByAdmin ? ` (sent by an admin, ${d.sentByAdmin})` : ""}.`,
          d.method === "totp"
            ? "Your authenticator app was confirmed before the new password was chosen."
            : d.method === "recovery"
              ? "One of your recovery codes was used before the new password was chosen."
              : "No second factor was asked for: your account has no authenticator app or recovery codes.",
          "You were signed out everywhere, remembered browsers were forgotten and sign-ins in progress were stopped. Two-step sign-in is unchanged.",
          ...where(d),
        ],
        footer:
          "If you did not reset it, someone can read your email: secure your mailbox, then contact your organisation's admin at once so they can " +
          "deactivate the account and end its sessions.",
      };
  }
}

/** The security email for `kind`, for callers that must know whether it was sent (sendMail throws). */
export function securityNoticeMessage(user: Recipient, kind: SecurityNotice, detail: Record<string, unknown> = {}): MailMessage {
  const { title, lines, footer } = describe(kind, detail);
  // The shared layout: text and HTML parts, product and organisation name, every value escaped.
  return { to: user.email, ...securityNoticeEmail({ orgName: user.org.name, userName: user.name, title, lines, footer }) };
}

export async function notifyUser(user: Recipient, kind: SecurityNotice, detail: Record<string, unknown> = {}) {
  try {
    await sendMail(securityNoticeMessage(user, kind, detail));
  } catch {
    // sendMail has logged the failure (without content); the change itself stands.
  }
}
