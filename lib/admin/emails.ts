/** The emails the admin features send, built with the product's templates (lib/mail/templates.ts). */
import type { MailMessage } from "@/lib/mail";
import { invitationEmail, securityNoticeEmail } from "@/lib/mail/templates";

export function invitationMessage(input: {
  to: string;
  name: string;
  orgName: string;
  inviterName: string;
  url: string;
  expiresAt: Date;
}): MailMessage {
  return {
    to: input.to,
    ...invitationEmail({
      orgName: input.orgName,
      inviterName: input.inviterName,
      userName: input.name,
      link: input.url,
      expiresOn: input.expiresAt,
    }),
  };
}

/** To the member whose 2FA an admin (or a server operator) removed. Carries who did it, never a secret. */
export function mfaRemovedMessage(input: { to: string; name: string; orgName: string; by: string }): MailMessage {
  return {
    to: input.to,
    ...securityNoticeEmail({
      orgName: input.orgName,
      userName: input.name,
      title: "Your two-factor authentication was reset",
      lines: [
        `${input.by} removed two-factor authentication from your account (for example because a device was lost).`,
        "Your authenticators, recovery codes and remembered browsers no longer work, and you were signed out everywhere.",
        "Sign in with your password to set up two-factor authentication again.",
      ],
      footer: "If you did not ask for this, contact your organisation's admin right away.",
    }),
  };
}
