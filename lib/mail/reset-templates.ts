/**
 * The password-reset emails: the link (asked for by the user, or sent by an admin), and the answer to
 * a request for an address that cannot be reset (no account, deactivated, never activated). Both kinds
 * are sent so that "Forgot your password?" does the same work and gives the same answer either way.
 * Neither carries any secret but the link itself.
 */
import { PRODUCT_NAME } from "@/lib/config";
import { formatMailDate, greeting, oneLine, render, type Email } from "./templates";

export function passwordResetEmail({
  orgName,
  userName,
  link,
  expiresAt,
  minutesValid,
  sentBy,
}: {
  orgName: string;
  userName: string;
  link: string;
  expiresAt: Date;
  minutesValid: number;
  /** The admin who sent it; absent when the user asked. */
  sentBy?: string;
}): Email {
  const url = new URL(link);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("A reset link must be http(s).");
  const org = oneLine(orgName);
  return render({
    orgName,
    subject: `Reset your ${PRODUCT_NAME} password for ${org}`,
    heading: "Choose a new password",
    preheader: `The link works once, for ${minutesValid} minutes.`,
    blocks: [
      greeting(userName),
      {
        kind: "p",
        text: sentBy
          ? `${oneLine(sentBy)}, an admin of ${org}, sent you a link to choose a new password for your account.`
          : `Someone (hopefully you) asked to reset the password of your ${org} account on ${PRODUCT_NAME}.`,
      },
      { kind: "button", label: "Choose a new password", href: url.href },
      {
        kind: "p",
        text:
          `The link works once and expires in ${minutesValid} minutes (${formatMailDate(expiresAt)}). Asking for a new link makes this one stop working. ` +
          "If you use an authenticator app or recovery codes, you will need one of them too. Afterwards you sign in with the new password and your second factor as usual.",
      },
      {
        kind: "note",
        text: "Did not ask for this? Ignore this email: your password stays as it is. Never forward this link; nobody from your organisation will ask you for it.",
      },
    ],
  });
}

/** Why no link could be sent to an address that was entered on "Forgot your password?". */
export type NoResetReason = "unknown" | "deactivated" | "not_activated";

export function noResetEmail({ reason }: { reason: NoResetReason }): Email {
  const why: Record<NoResetReason, string> = {
    unknown: `There is no ${PRODUCT_NAME} account with this email address. If you have an account, it may use another address.`,
    deactivated: "The account with this email address is deactivated. Your organisation's admin can reactivate it.",
    not_activated:
      "The account with this email address has not been activated yet. Ask your organisation's admin to send you a new invitation.",
  };
  return render({
    orgName: null,
    subject: `Your ${PRODUCT_NAME} password reset request`,
    heading: "We could not reset a password",
    preheader: "Someone asked to reset a password for this address.",
    blocks: [
      { kind: "p", text: `Someone (maybe you) asked to reset the password of a ${PRODUCT_NAME} account for this email address.` },
      { kind: "p", text: why[reason] },
      { kind: "note", text: "Did not ask for this? You can ignore this email: nothing was changed." },
    ],
  });
}
