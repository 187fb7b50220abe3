"use server";
import { publicAction } from "@/lib/action";
import { appBaseUrl } from "@/lib/app-url";
import { forgotPasswordSchema, requestPasswordReset } from "@/lib/auth/forgot-password";
import { getDb } from "@/lib/db/client";

/** The same answer whether or not the address has an account (lib/auth/forgot-password.ts). */
export const forgotPasswordAction = publicAction(forgotPasswordSchema, async (input, { meta }) => {
  const { message } = await requestPasswordReset(await getDb(), input, { baseUrl: await appBaseUrl(), meta });
  return { ok: true, message };
});
