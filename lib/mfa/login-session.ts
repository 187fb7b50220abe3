/**
 * The end of a login's second step, once a factor passed: one statement completes and consumes the
 * challenge, opens the session, resets the 2FA budget and writes the audit rows (lib/auth/session-sql.ts),
 * with the remembered browser when asked. Used by every method in lib/mfa/verify-login.ts and its siblings.
 */
import { sql, type SQL } from "drizzle-orm";
import { keys } from "@/lib/attempts";
import type { LiveChallenge } from "@/lib/auth/challenge";
import { consumeChallengeGate, openSessionWith, type OpenedRow } from "@/lib/auth/session-sql";
import { randomToken } from "@/lib/crypto";
import { rowsOf, type Db, type Executor } from "@/lib/db/client";
import type { RequestMeta } from "@/lib/request-context";
import { notifyRemembered } from "./remembered-devices";
import type { Method } from "./second-factor-budget";

/** "Don't ask again on this browser", when asked and the organisation allows it: the token for the cookie. */
export type LoginOptions = { remember?: boolean };
export type RememberedBrowser = { token: string; expiresAt: Date; days: number };
/** A second factor passed: the session it opened, and the remembered browser's cookie when one was asked for. */
export type VerifiedLogin = { session: OpenedRow; rememberedDevice: RememberedBrowser | null };

function rememberPlan(challenge: LiveChallenge, options: LoginOptions): RememberedBrowser | undefined {
  const days = challenge.org.rememberDeviceDays;
  if (!options.remember || !(days > 0)) return undefined;
  return { token: randomToken(), expiresAt: new Date(Date.now() + days * 24 * 60 * 60 * 1000), days };
}

/**
 * Success: one statement completes and consumes the challenge, opens the session, resets the budget and
 * writes the audit rows (and the remembered browser, when asked). `before`/`after`: a claim the challenge
 * depends on (the TOTP time step), so that nothing happens unless both do.
 */
export async function openLogin(
  db: Executor,
  challenge: LiveChallenge,
  method: Method,
  detail: Record<string, unknown>,
  meta: RequestMeta,
  options: LoginOptions,
  claim?: [name: string, statement: SQL],
) {
  const remember = rememberPlan(challenge, options);
  const { opened, extra } = await openSessionWith(db, {
    before: claim ? [claim] : [],
    gate: consumeChallengeGate(sql`id = ${challenge.challenge.id}`, { completeAs: method, after: claim?.[0] }),
    meta,
    audits: [{ event: "mfa.challenge.success", detail: { method, ...detail } }],
    resetKeys: [keys.mfa(challenge.user.id)],
    remember,
  });
  return { opened, claimed: claim ? extra[claim[0]] === 1 : true, remember };
}

export const SIGN_IN_ENDED = "This sign-in has already been completed or has expired. Please sign in again.";

/** After the statement: the remembered-browser email (the session's own aftermath is lib/auth/open-session.ts). */
export async function verified(challenge: LiveChallenge, opened: OpenedRow, remember: RememberedBrowser | undefined, meta: RequestMeta) {
  if (remember) await notifyRemembered({ ...challenge.user, org: challenge.org }, remember.expiresAt, meta);
  return { session: opened, rememberedDevice: remember ?? null } satisfies VerifiedLogin;
}

/** Whether the sign-in still waits for its second factor (only asked when a code was not accepted). */
export async function isPending(db: Db, challengeId: string) {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`SELECT id FROM login_challenges WHERE id = ${challengeId} AND completed_at IS NULL AND consumed_at IS NULL AND expires_at > now()`,
  );
  return rows.length === 1;
}
