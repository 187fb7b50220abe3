/**
 * Signing in through the JSON API: the web's own steps underneath (passwordStep, verifySecondFactor,
 * sendLoginEmailCode, the new-sign-in email), so the organisation's policy, the attempt budgets and
 * lockouts, the replay guard, the audit rows and the security emails are the same. What differs: no
 * cookies (the challenge travels in the JSON body, tokens in the answer), an app is always an unknown
 * browser for the device-cookie rule (its failures count on the account-wide lock, like any new
 * browser's; the user's known browsers keep their own budget), "remember this browser" does not apply,
 * and a member who must set up 2FA is sent to the browser to do it.
 */
import type { z } from "zod";
import { configuredBaseUrl } from "@/lib/app-url";
import { consumeChallenge, findChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { afterSignIn } from "@/lib/auth/open-session";
import { verifySecondFactor } from "@/lib/auth/second-factor-step";
import type { OpenedRow } from "@/lib/auth/session-sql";
import type { Db } from "@/lib/db/client";
import { sendLoginEmailCode } from "@/lib/mfa/email-login";
import type { ClientKind, RequestMeta } from "@/lib/request-context";
import { loginMethods } from "./methods";
import { ApiProblem } from "./problem";
import type { apiLoginSchema, apiMfaSchema, apiSendEmailSchema } from "./schemas";
import { issueTokens, type TokenPair } from "./tokens";

export const ENROL_PATH = "/login/setup";
const ENDED = "This sign-in has expired or was already completed. Please sign in again.";

const enrolmentRequired = () =>
  new ApiProblem(
    "enrolment_required",
    "Your organisation requires two-factor authentication. Sign in in your browser to set it up, then sign in here again.",
    { next: "enrol", enrolUrl: `${configuredBaseUrl() ?? ""}${ENROL_PATH}` },
  );

/** The session opened: the new-sign-in email (an app never has a device cookie) and the first token pair. */
async function signedIn(db: Db, opened: OpenedRow, meta: RequestMeta): Promise<TokenPair> {
  await afterSignIn(opened, null, meta);
  return issueTokens(db, opened);
}

export type ApiLoginAnswer = { next: "mfa"; challenge: string; methods: string[]; expiresIn: number } | ({ next: "done" } & TokenPair);

export async function apiLogin(db: Db, input: z.output<typeof apiLoginSchema>, meta: RequestMeta): Promise<ApiLoginAnswer> {
  const withClient = { ...meta, client: input.client };
  // No browser cookies: no remembered browser, no device cookie (the account-wide lock applies).
  const { token, next } = await passwordStep(db, { email: input.email, password: input.password }, withClient);
  if (next === "enrol") throw enrolmentRequired();
  if (next === "done") {
    const opened = await consumeChallenge(db, token, withClient);
    if (!opened) throw new ApiProblem("challenge_expired", ENDED);
    return { next: "done", ...(await signedIn(db, opened, withClient)) };
  }
  const challenge = await findChallenge(db, token);
  if (!challenge) throw new ApiProblem("challenge_expired", ENDED);
  return { next: "mfa", challenge: token, methods: await loginMethods(db, challenge.user.id), expiresIn: secondsLeft(challenge) };
}

const secondsLeft = (c: LiveChallenge) => Math.max(0, Math.floor((c.challenge.expiresAt.getTime() - Date.now()) / 1000));

/** A live challenge that an API login started and that still waits for its second factor. */
async function apiChallenge(db: Db, token: string) {
  const challenge = await findChallenge(db, token);
  if (!challenge || challenge.challenge.completedAt || !challenge.challenge.clientKind) throw new ApiProblem("challenge_expired", ENDED);
  const client = { name: challenge.challenge.clientName ?? "", kind: challenge.challenge.clientKind as ClientKind };
  return { challenge, client };
}

/** The second factor: checked by the web's step (shared budget, replay guard); the session is the API client's. */
export async function apiVerify(db: Db, input: z.output<typeof apiMfaSchema>, meta: RequestMeta): Promise<TokenPair> {
  const { challenge, client } = await apiChallenge(db, input.challenge);
  const methods = await loginMethods(db, challenge.user.id);
  if (methods.length === 0) throw enrolmentRequired();
  if (!methods.includes(input.method)) {
    throw new ApiProblem("mfa_required", `This sign-in cannot use that method. Use one of: ${methods.join(", ")}.`, { methods });
  }
  const withClient = { ...meta, client };
  const { challenge: _token, ...step } = input;
  const factor = step.method === "temp_code" ? step : { ...step, remember: false };
  const { session } = await verifySecondFactor(db, challenge, factor, withClient);
  return signedIn(db, session, withClient);
}

/** Emails a sign-in code for this login (same cooldown as the web's "Send a new code"). */
export async function apiSendEmailCode(db: Db, input: z.output<typeof apiSendEmailSchema>) {
  const { challenge } = await apiChallenge(db, input.challenge);
  const methods = await loginMethods(db, challenge.user.id);
  if (!methods.includes("email")) {
    throw new ApiProblem("mfa_required", `This sign-in cannot use email codes. Use one of: ${methods.join(", ")}.`, { methods });
  }
  return sendLoginEmailCode(db, challenge, { mode: "resend" });
}
