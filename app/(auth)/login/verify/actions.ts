"use server";
import { challengeAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { emailLoginSchema, sendLoginEmailCode, sendLoginCodeSchema, verifyEmailLogin } from "@/lib/mfa/email-factor";
import { recoveryLoginSchema, totpLoginSchema, verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";

export const verifyTotpAction = challengeAction(totpLoginSchema, async (input, { challenge, meta }) => {
  await verifyTotpLogin(await getDb(), challenge, input, meta);
  return { ok: true };
});

export const verifyRecoveryAction = challengeAction(recoveryLoginSchema, async (input, { challenge, meta }) => {
  const result = await verifyRecoveryLogin(await getDb(), challenge, input, meta);
  return { ok: true, data: { remaining: result.remaining, low: result.low } };
});

/**
 * Emails a sign-in code. mode "auto" (the email form opening) sends only if this login has no live code
 * yet; "resend" replaces it, after the 30-second cooldown (refused with the seconds left otherwise).
 */
export const sendEmailCodeAction = challengeAction(sendLoginCodeSchema, async (input, { challenge }) => {
  const result = await sendLoginEmailCode(await getDb(), challenge, input);
  return { ok: true, data: result };
});

export const verifyEmailAction = challengeAction(emailLoginSchema, async (input, { challenge, meta }) => {
  await verifyEmailLogin(await getDb(), challenge, input, meta);
  return { ok: true };
});
