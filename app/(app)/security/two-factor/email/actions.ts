"use server";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import {
  confirmEmailEnrolment,
  confirmEmailEnrolmentSchema,
  startEmailEnrolment,
  startEmailEnrolmentSchema,
} from "@/lib/mfa/email-enrolment";

/** "Send verification code" (and "Send a new code"): to the signed-in user's own address. */
export const sendEmailEnrolmentCodeAction = userAction(
  startEmailEnrolmentSchema,
  async (input, { user }) => {
    const started = await startEmailEnrolment(await getDb(), user, input);
    return { ok: true, data: { factorId: started.factorId, resendInSeconds: started.cooldownSeconds } };
  },
  { enrolment: true },
);

export const confirmEmailEnrolmentAction = userAction(
  confirmEmailEnrolmentSchema,
  async (input, { user, meta }) => {
    const result = await confirmEmailEnrolment(await getDb(), user, input, meta);
    // No revalidatePath here: it would re-render this page ("already set up") under the success dialog
    // and its recovery codes. "Done" navigates and refreshes.
    return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
  },
  { enrolment: true },
);
