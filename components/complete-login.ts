"use client";
import type { ActionState } from "@/lib/action";
import { FINISH_ERROR } from "@/lib/auth/finish-error";
import { UNAVAILABLE_MESSAGE } from "@/lib/errors";

export { FINISH_ERROR };

/**
 * Posts a login step to its route (app/api/login/*) as JSON, with the browser's cookies; the answer is
 * the state the form shows. A step that completes the login answers with the session cookie already set.
 */
export async function postLoginStep<T>(path: string, body: FormData | Record<string, unknown>): Promise<ActionState<T>> {
  const fields = body instanceof FormData ? Object.fromEntries([...body.entries()].filter(([, v]) => typeof v === "string")) : body;
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(fields),
      credentials: "same-origin",
    });
    return (await response.json()) as ActionState<T>;
  } catch {
    return { ok: false, code: "unavailable", error: UNAVAILABLE_MESSAGE };
  }
}

/** A step that signs in when it passes (the second factor): then `callbackUrl` loads, signed in. */
export async function signInStep<T>(path: string, body: FormData | Record<string, unknown>, callbackUrl: string): Promise<ActionState<T>> {
  const result = await postLoginStep<T>(path, body);
  if (result.ok) window.location.assign(callbackUrl);
  return result;
}

/** Ends a login whose last step completed it earlier (enrolment at login, "skip for now"), then loads `callbackUrl`. */
export async function finishLogin<T = undefined>(callbackUrl: string): Promise<ActionState<T>> {
  return signInStep<T>("/api/login/finish", {}, callbackUrl);
}

/** After a login step's action: finish the login when it passed, otherwise show what it answered. */
export async function finishLoginIfOk<T>(result: ActionState<T>, callbackUrl: string): Promise<ActionState<T>> {
  return result.ok ? finishLogin<T>(callbackUrl) : result;
}
