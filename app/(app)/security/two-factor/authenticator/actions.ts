"use server";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { confirmTotpEnrolment, confirmTotpSchema } from "@/lib/mfa/enrol-totp";

/**
 * The 6-digit code that confirms a new authenticator app (also allowed to a user who must enrol).
 * No revalidatePath: "Done" in the success dialog navigates and refreshes.
 */
export const confirmTotpAction = userAction(
  confirmTotpSchema,
  async (input, { user, meta }) => {
    const result = await confirmTotpEnrolment(await getDb(), user, input, meta);
    return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
  },
  { enrolment: true },
);
