"use client";
import { signIn } from "next-auth/react";
import type { ActionState } from "@/lib/action";

/** The one message for a login step that passed but whose session could not be made (challenge expired or used). */
export const FINISH_ERROR = "Your sign-in could not be completed. Please sign in again.";

/**
 * Exchanges the completed login challenge (httpOnly cookie) for a session, then loads `callbackUrl`.
 * Returns the state a form shows: an error when the challenge was not accepted.
 */
export async function finishLogin<T = undefined>(callbackUrl: string): Promise<ActionState<T>> {
  const result = await signIn("challenge", { redirect: false });
  if (!result?.ok || result.error) return { ok: false, code: "challenge_expired", error: FINISH_ERROR };
  window.location.assign(callbackUrl);
  return { ok: true };
}

/** After a login step's action: finish the login when it passed, otherwise show what it answered. */
export async function finishLoginIfOk<T>(result: ActionState<T>, callbackUrl: string): Promise<ActionState<T>> {
  return result.ok ? finishLogin<T>(callbackUrl) : result;
}
