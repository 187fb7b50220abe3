"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { sendMemberPasswordReset, sendPasswordResetSchema } from "@/lib/admin/password-reset";
import { appBaseUrl } from "@/lib/app-url";
import { RESET_LINK_MINUTES } from "@/lib/auth/reset-links";
import { getDb } from "@/lib/db/client";

/** "Send password reset": the member gets the same link as "Forgot your password?" (audited). */
export const sendPasswordResetAction = userAction(
  sendPasswordResetSchema,
  async (input, { user, meta }) => {
    const actor = { id: user.id, orgId: user.orgId, sessionId: user.sessionId };
    const result = await sendMemberPasswordReset(await getDb(), actor, input, { baseUrl: await appBaseUrl(), meta });
    revalidatePath("/admin/audit");
    return {
      ok: true,
      message: `A password reset link was sent to ${result.email}. It works once, for ${RESET_LINK_MINUTES} minutes; earlier links no longer work.`,
    };
  },
  { role: "admin" },
);
