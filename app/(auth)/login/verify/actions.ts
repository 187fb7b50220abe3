"use server";
import { challengeAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { recoveryLoginSchema, totpLoginSchema, verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";

export const verifyTotpAction = challengeAction(totpLoginSchema, async (input, { challenge, meta }) => {
  await verifyTotpLogin(await getDb(), challenge, input, meta);
  return { ok: true };
});

export const verifyRecoveryAction = challengeAction(recoveryLoginSchema, async (input, { challenge, meta }) => {
  const result = await verifyRecoveryLogin(await getDb(), challenge, input, meta);
  return { ok: true, data: { remaining: result.remaining, low: result.low } };
});
