"use server";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/action";
import { clearResetVerifiedCookie, readResetVerifiedCookie, setResetVerifiedCookie } from "@/lib/auth/reset-cookie";
import {
  completePasswordReset,
  resetPasswordSchema,
  resetRecoverySchema,
  resetTotpSchema,
  verifyResetFactor,
} from "@/lib/auth/reset-password";
import { getDb } from "@/lib/db/client";

/** The second factor before the new password: the login's checks; success binds the link to this browser. */
export const verifyResetTotpAction = publicAction(resetTotpSchema, async (input, { meta }) => {
  const { proof, expiresAt } = await verifyResetFactor(await getDb(), input, "totp", meta);
  await setResetVerifiedCookie(proof, expiresAt);
  return { ok: true };
});

export const verifyResetRecoveryAction = publicAction(resetRecoverySchema, async (input, { meta }) => {
  const { proof, expiresAt } = await verifyResetFactor(await getDb(), input, "recovery", meta);
  await setResetVerifiedCookie(proof, expiresAt);
  return { ok: true };
});

/** Sets the new password. No session is created: the user signs in with it (and their second factor). */
export const resetPasswordAction = publicAction(resetPasswordSchema, async (input, { meta }) => {
  await completePasswordReset(await getDb(), input, await readResetVerifiedCookie(), meta);
  await clearResetVerifiedCookie();
  redirect("/login?reset=1");
});
