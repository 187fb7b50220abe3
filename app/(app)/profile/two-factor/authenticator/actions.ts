"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { confirmTotpEnrolment, confirmTotpSchema } from "@/lib/mfa/enrol-totp";

/** The 6-digit code that confirms a new authenticator app (also allowed to a user who must enrol). */
export const confirmTotpAction = userAction(
  confirmTotpSchema,
  async (input, { user, meta }) => {
    const result = await confirmTotpEnrolment(await getDb(), user, input, meta);
    revalidatePath("/profile");
    return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
  },
  { enrolment: true },
);
