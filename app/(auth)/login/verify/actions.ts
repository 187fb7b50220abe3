"use server";
import { z } from "zod";
import { challengeAction } from "@/lib/action";
import type { LiveChallenge } from "@/lib/auth/challenge";
import { setRememberedDeviceCookie } from "@/lib/auth/challenge-cookie";
import { getDb } from "@/lib/db/client";
import { emailLoginSchema, sendLoginEmailCode, sendLoginCodeSchema, verifyEmailLogin } from "@/lib/mfa/email-login";
import { passkeyLoginOptions, passkeyLoginSchema, verifyPasskeyLogin } from "@/lib/mfa/passkey-login";
import { rememberDevice } from "@/lib/mfa/remembered-devices";
import { tempCodeLoginSchema, verifyTempCodeLogin } from "@/lib/mfa/temp-code-login";
import { recoveryLoginSchema, totpLoginSchema, verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";
import type { RequestMeta } from "@/lib/request-context";

/** The "Don't ask again on this browser" checkbox, honoured only after the second factor has passed. */
const remember = { remember: z.literal("on").optional() };

async function rememberIfAsked(asked: string | undefined, challenge: LiveChallenge, meta: RequestMeta) {
  if (asked !== "on") return;
  const device = await rememberDevice(await getDb(), { ...challenge.user, org: challenge.org }, meta);
  if (device) await setRememberedDeviceCookie(device.token, device.expiresAt);
}

export const verifyTotpAction = challengeAction(totpLoginSchema.extend(remember), async (input, { challenge, meta }) => {
  await verifyTotpLogin(await getDb(), challenge, input, meta);
  await rememberIfAsked(input.remember, challenge, meta);
  return { ok: true };
});

export const verifyRecoveryAction = challengeAction(recoveryLoginSchema.extend(remember), async (input, { challenge, meta }) => {
  const result = await verifyRecoveryLogin(await getDb(), challenge, input, meta);
  await rememberIfAsked(input.remember, challenge, meta);
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

export const verifyEmailAction = challengeAction(emailLoginSchema.extend(remember), async (input, { challenge, meta }) => {
  await verifyEmailLogin(await getDb(), challenge, input, meta);
  await rememberIfAsked(input.remember, challenge, meta);
  return { ok: true };
});

/** Options for the browser's security-key dialog: a fresh challenge bound to this login (5 minutes, single use). */
export const passkeyOptionsAction = challengeAction(z.object({}), async (_input, { challenge }) => {
  return { ok: true, data: { options: await passkeyLoginOptions(await getDb(), challenge) } };
});

export const verifyPasskeyAction = challengeAction(passkeyLoginSchema.extend(remember), async (input, { challenge, meta }) => {
  await verifyPasskeyLogin(await getDb(), challenge, input, meta);
  await rememberIfAsked(input.remember, challenge, meta);
  return { ok: true };
});

/** A temporary access code from the admin, in place of the second factor. No "remember this browser" here. */
export const verifyTempCodeAction = challengeAction(tempCodeLoginSchema, async (input, { challenge, meta }) => {
  const result = await verifyTempCodeLogin(await getDb(), challenge, input, meta);
  return { ok: true, data: { factorsRemoved: result.factorsRemoved } };
});
