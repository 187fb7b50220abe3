/**
 * The emails of lib/alerts, in the shared layout (lib/mail/templates.ts: text and HTML parts, every value
 * escaped). None carries a secret: names, addresses, counts, dates and links to admin pages only.
 */
import { PRODUCT_NAME } from "@/lib/config";
import { formatMailDate, greeting, oneLine, render, type Block, type Email } from "@/lib/mail/templates";
import type { AlertKind } from "./kinds";

type Person = { name: string; email: string };
type To = { orgName: string; userName: string };

const who = (m: Person) => `${oneLine(m.name)} (${m.email})`;
const settingsNote = (base: string): Block => ({
  kind: "note",
  text: `You receive this because you are an admin. Choose which alerts you get in Security › Notifications: ${base}/security/notifications`,
});

export type AlertDetail = {
  member: Person & { id: string };
  at: Date;
  ip?: string | null;
  /** mfa-off: "turned-off" or "last-factor-removed"; temp-code-used: factorsRemoved; recovery-low: remaining. */
  how?: string;
  factorsRemoved?: boolean;
  remaining?: number;
};

/** One event about one member (mfa-off, mfa-locked, temp-code-used, recovery-low). */
export function memberAlertEmail(kind: Exclude<AlertKind, "grace-ended" | "weekly-digest">, to: To, d: AlertDetail, base: string): Email {
  const m = who(d.member);
  const when = `Time: ${formatMailDate(d.at)}${d.ip ? `, from network address ${d.ip}` : ""}.`;
  const texts: Record<typeof kind, { title: string; lines: string[] }> = {
    "mfa-off": {
      title: `${oneLine(d.member.name)} turned off two-factor authentication`,
      lines: [
        d.how === "last-factor-removed"
          ? `${m} removed their last second factor: their account is now protected by a password only.`
          : `${m} turned off two-factor authentication: their account is now protected by a password only.`,
        when,
      ],
    },
    "mfa-locked": {
      title: `${oneLine(d.member.name)} was locked out after failed codes`,
      lines: [
        `Too many incorrect second-factor codes were entered for ${m}. Two-step sign-in is locked for them for a while.`,
        when,
        "If the member did not do this, someone knows their password: consider sending them a password reset.",
      ],
    },
    "temp-code-used": {
      title: `${oneLine(d.member.name)} signed in with a temporary access code`,
      lines: [
        `A temporary access code issued by an admin was used to sign in as ${m}, in place of their second factor.`,
        ...(d.factorsRemoved ? ["As chosen when the code was issued, their previous second factors were removed."] : []),
        when,
      ],
    },
    "recovery-low": {
      title: `${oneLine(d.member.name)} has ${d.remaining ?? 2} recovery codes left`,
      lines: [
        `${m} used a recovery code. ${d.remaining ?? 2} unused codes remain: they should set up their authenticator again or generate new codes.`,
        when,
      ],
    },
  };
  const { title, lines } = texts[kind];
  return render({
    orgName: to.orgName,
    subject: `${PRODUCT_NAME} admin alert: ${title}`,
    heading: title,
    preheader: lines[0]!,
    blocks: [
      greeting(to.userName),
      ...lines.map((text): Block => ({ kind: "p", text })),
      { kind: "button", label: "Open the member", href: `${base}/admin/members/${d.member.id}` },
      settingsNote(base),
    ],
  });
}

/** The grace period is over and these members still have no second factor (one email, the whole list). */
export function graceEndedEmail(to: To, input: { lastDay: string; members: Person[] }, base: string): Email {
  const n = input.members.length;
  return render({
    orgName: to.orgName,
    subject: `${PRODUCT_NAME} admin alert: the 2FA grace period ended with ${n} member${n === 1 ? "" : "s"} not set up`,
    heading: "The grace period for two-factor authentication has ended",
    preheader: `${n} member${n === 1 ? " has" : "s have"} not set up 2FA.`,
    blocks: [
      greeting(to.userName),
      {
        kind: "p",
        text: `The last day to set up two-factor authentication was ${input.lastDay}. These members have not set it up; they can now reach only the set-up page:`,
      },
      { kind: "list", items: input.members.map(who) },
      { kind: "button", label: "See them in the members list", href: `${base}/admin/members?status=overdue` },
      settingsNote(base),
    ],
  });
}

/** To a member who has not set up 2FA during the grace period (7 days, 1 day before, and on the last day). */
export function reminderEmail(to: To, input: { daysLeft: number; lastDay: string }, base: string): Email {
  const when =
    input.daysLeft <= 0
      ? "Today is the last day"
      : `${input.daysLeft} day${input.daysLeft === 1 ? "" : "s"} left (until the end of ${input.lastDay} UTC)`;
  return render({
    orgName: to.orgName,
    subject: `Set up two-factor authentication for ${oneLine(to.orgName)}: ${input.daysLeft <= 0 ? "today is the last day" : `${input.daysLeft} day${input.daysLeft === 1 ? "" : "s"} left`}`,
    heading: "Set up two-factor authentication",
    preheader: `${when} to set up two-factor authentication.`,
    blocks: [
      greeting(to.userName),
      {
        kind: "p",
        text: `Your organisation requires two-factor authentication. ${when} to set it up; after that, signing in takes you straight to the set-up.`,
      },
      { kind: "button", label: "Set up two-factor authentication", href: `${base}/security/two-factor` },
      { kind: "note", text: "It takes a minute with an authenticator app on your phone. Never share a code with anyone." },
    ],
  });
}

/** One email per member after an admin's incident response ("Sign out everyone", "Require everyone to set up 2FA again"). */
export function incidentEmail(to: To, input: { action: "signed-out" | "mfa-reset"; reason: string }, base: string): Email {
  const reset = input.action === "mfa-reset";
  const title = reset ? "Set up two-factor authentication again" : "You were signed out by your admin";
  return render({
    orgName: to.orgName,
    subject: `${PRODUCT_NAME} security notice: ${title}`,
    heading: title,
    preheader: reset ? "Your second factors were removed by your organisation's admin." : "Every session of your organisation was ended.",
    blocks: [
      greeting(to.userName),
      {
        kind: "p",
        text: reset
          ? "As a security measure, an admin of your organisation removed every member's second factors and recovery codes, and signed everyone out. You must set up two-factor authentication again when you next sign in."
          : "As a security measure, an admin of your organisation signed everyone out: your sessions, remembered browsers and sign-ins in progress were ended. Sign in again to continue.",
      },
      { kind: "p", text: `Reason given: ${oneLine(input.reason)}` },
      { kind: "button", label: "Sign in", href: `${base}/login` },
      { kind: "note", text: "Your password was not changed. If you notice anything unusual about your account, tell your admin." },
    ],
  });
}
