/** Email-code facts shared by the server (lib/mfa/email-factor.ts) and the screens (client components). */

export const EMAIL_CODE_TTL_SECONDS = 10 * 60;
export const EMAIL_CODE_MINUTES = EMAIL_CODE_TTL_SECONDS / 60;
export const EMAIL_RESEND_COOLDOWN_SECONDS = 30;
export const DEFAULT_EMAIL_FACTOR_NAME = "Email";

/** S19: said wherever email codes are offered. */
export const EMAIL_WEAKER_NOTE = "An authenticator app is safer than email: anyone who can read your email can use these codes.";
/** Added to the note when the user has no app yet and the organisation allows one. */
export const ADD_APP_HINT = "Add an app in your profile when you can.";

/** sent: false when this login already had a live code ("auto"); resendInSeconds: until "Send a new code" works (0: now). */
export type SendLoginCodeResult = { sent: boolean; maskedEmail: string; resendInSeconds: number };

/** "a•••@acme.test": enough to recognise the address without showing it to someone at the keyboard. */
export function maskEmail(email: string) {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}
