"use server";
import { challengeAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { confirmTotpSchema } from "@/lib/mfa/enrol-totp";
import { confirmLoginTotpEnrolment, skipLoginEnrolment } from "@/lib/mfa/login-enrolment";
import { z } from "zod";

export const confirmSetupTotpAction = challengeAction(confirmTotpSchema, async (input, { challenge, meta }) => {
  const result = await confirmLoginTotpEnrolment(await getDb(), challenge, input, meta);
  return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
});

export const skipSetupAction = challengeAction(z.object({}), async (_input, { challenge, meta }) => {
  await skipLoginEnrolment(await getDb(), challenge, meta);
  return { ok: true };
});
