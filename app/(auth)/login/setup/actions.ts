"use server";
import { z } from "zod";
import { challengeAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { confirmEmailEnrolmentSchema, startEmailEnrolmentSchema } from "@/lib/mfa/email-enrolment";
import { confirmTotpSchema } from "@/lib/mfa/enrol-totp";
import {
  confirmLoginEmailEnrolment,
  confirmLoginTotpEnrolment,
  skipLoginEnrolment,
  startLoginEmailEnrolment,
} from "@/lib/mfa/login-enrolment";
import { finishLoginPasskeyRegistration, finishPasskeySchema, startLoginPasskeyRegistration } from "@/lib/mfa/passkey-enrolment";

export const confirmSetupTotpAction = challengeAction(confirmTotpSchema, async (input, { challenge, meta }) => {
  const result = await confirmLoginTotpEnrolment(await getDb(), challenge, input, meta);
  return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
});

export const skipSetupAction = challengeAction(z.object({}), async (_input, { challenge, meta }) => {
  await skipLoginEnrolment(await getDb(), challenge, meta);
  return { ok: true };
});

export const sendSetupEmailCodeAction = challengeAction(startEmailEnrolmentSchema, async (input, { challenge }) => {
  const started = await startLoginEmailEnrolment(await getDb(), challenge, input);
  return { ok: true, data: { factorId: started.factorId, resendInSeconds: started.cooldownSeconds } };
});

export const confirmSetupEmailAction = challengeAction(confirmEmailEnrolmentSchema, async (input, { challenge, meta }) => {
  const result = await confirmLoginEmailEnrolment(await getDb(), challenge, input, meta);
  return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
});

/** Adding a security key at sign-in: options bound to this login (only while it must enrol). */
export const startSetupPasskeyAction = challengeAction(z.object({}), async (_input, { challenge }) => {
  return { ok: true, data: { options: await startLoginPasskeyRegistration(await getDb(), challenge) } };
});

/** The key is stored and completes this login (it is the second factor just used). */
export const finishSetupPasskeyAction = challengeAction(finishPasskeySchema, async (input, { challenge, meta }) => {
  const result = await finishLoginPasskeyRegistration(await getDb(), challenge, input, meta);
  return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
});
