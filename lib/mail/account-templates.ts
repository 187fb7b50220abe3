/**
 * Emails about getting an account: the sign-up link, the notice to an address that already has an
 * account, and the answer to an invitation for such an address. Same layout as lib/mail/templates.ts.
 * None of them says anything to the person who asked: each goes only to the address itself (S39).
 */
import { PRODUCT_NAME } from "@/lib/config";
import { formatMailDate, greeting, oneLine, render, type Email } from "./templates";

function httpUrl(link: string, what: string) {
  const url = new URL(link);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${what} must be http(s).`);
  return url.href;
}

/** What to do about a forgotten password (one place to change when self-service reset exists). */
export const FORGOTTEN_PASSWORD_HINT = "If you cannot sign in any more, ask an admin of your organisation for help.";

/** The link that finishes a sign-up (carries the sign-up token). Nothing is created without it. */
export function signupLinkEmail({
  orgName,
  userName,
  link,
  expiresOn,
}: {
  orgName: string;
  userName: string;
  link: string;
  expiresOn: Date | string;
}): Email {
  const href = httpUrl(link, "A sign-up link");
  const org = oneLine(orgName);
  return render({
    orgName,
    subject: `Confirm your email address for ${PRODUCT_NAME}`,
    heading: "Confirm your email address",
    preheader: `Open the link to create ${org} on ${PRODUCT_NAME}.`,
    blocks: [
      greeting(userName),
      { kind: "p", text: `Open this link to create ${org} on ${PRODUCT_NAME}, with you as its first admin:` },
      { kind: "button", label: "Create my organisation", href },
      {
        kind: "p",
        text: `The link works once and expires on ${formatMailDate(expiresOn)}. Signing up again sends a new link, and this one stops working.`,
      },
      { kind: "note", text: "Did not sign up? Ignore this email: nothing is created without this link." },
    ],
    footer: `You receive this email because someone asked to create an organisation on ${PRODUCT_NAME} with this address.`,
  });
}

/** To the owner of an existing account when someone tries to sign up with its address. No link to sign up. */
export function signupExistingAccountEmail({
  orgName,
  userName,
  loginUrl,
}: {
  orgName: string;
  userName: string;
  loginUrl: string;
}): Email {
  const href = httpUrl(loginUrl, "A sign-in link");
  const org = oneLine(orgName);
  return render({
    orgName,
    subject: `Someone tried to sign up to ${PRODUCT_NAME} with your email address`,
    heading: "Someone tried to sign up with your email address",
    preheader: "Nothing was created and your account did not change.",
    blocks: [
      greeting(userName),
      {
        kind: "p",
        text:
          `Someone, perhaps you, asked to create a new organisation on ${PRODUCT_NAME} with this email address. ` +
          `It already belongs to your account at ${org}, and an address can have only one account, so nothing was created ` +
          "and your account did not change.",
      },
      { kind: "button", label: `Sign in to ${org}`, href },
      { kind: "p", text: FORGOTTEN_PASSWORD_HINT },
      {
        kind: "note",
        text: "Was this not you? You do not need to do anything: nobody can use your address without access to this mailbox.",
      },
    ],
  });
}

/**
 * The answer to an invitation for an address that already has an account in another organisation:
 * it cannot join a second one. The inviting admin is not told (they see a pending invitation).
 */
export function invitationElsewhereEmail({
  orgName,
  inviterName,
  userName,
  loginUrl,
}: {
  orgName: string;
  inviterName: string;
  userName: string;
  loginUrl: string;
}): Email {
  const href = httpUrl(loginUrl, "A sign-in link");
  const inviter = oneLine(inviterName);
  const org = oneLine(orgName);
  return render({
    orgName,
    subject: `${inviter} invited you to ${org} on ${PRODUCT_NAME}`,
    heading: `You cannot join ${org} with this address`,
    preheader: "This address already belongs to an account in another organisation.",
    blocks: [
      greeting(userName),
      {
        kind: "p",
        text:
          `${inviter} invited you to join ${org} on ${PRODUCT_NAME}. This email address already belongs to an account in ` +
          `another organisation, and an address can belong to only one organisation, so you cannot join ${org} with it. ` +
          "Nothing changed on your account.",
      },
      { kind: "p", text: `To join ${org}, ask ${inviter} to invite another email address of yours.` },
      { kind: "button", label: "Sign in to your account", href },
      { kind: "note", text: "Not expecting this invitation? You can ignore this email." },
    ],
    footer: `You receive this email because an admin of ${org} invited this address on ${PRODUCT_NAME}.`,
  });
}
