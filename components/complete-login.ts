"use client";
import { signIn } from "next-auth/react";

/**
 * Exchanges the completed login challenge (httpOnly cookie) for a session, then loads the app.
 * Returns false when the challenge was not accepted (expired, already used).
 */
export async function completeLogin(callbackUrl: string) {
  const result = await signIn("challenge", { redirect: false });
  if (!result?.ok || result.error) return false;
  window.location.assign(callbackUrl);
  return true;
}
