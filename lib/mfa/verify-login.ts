/**
 * The second step of login. The account comes from the server-side challenge, never from the request.
 * Every attempt is first counted in the per-account budget shared by all factors and all challenges
 * (atomic reservation, lib/attempts.ts); a success resets it. A TOTP code is accepted once: the time
 * step it matched must be later than the factor's last accepted step, recorded with a conditional
 * UPDATE so that two browsers submitting the same code at once get one success.
 *
 * Replies: from the 7th failure in a row the message says how many tries are left; the failure that
 * reaches the limit answers with the lockout itself (not "not valid"). A TOTP code that was valid but
 * already used (its time step is at or before the factor's last accepted one, or another browser
 * claimed it first) gets its own message and is not counted as a failure: it is not a guess. The attempt
 * is still reserved before any check (S8) and only then given back, so a burst cannot exceed the
 * budget; an attacker learns "already used" only by typing a code that was valid moments ago, which
 * signs nobody in. A replay that lands on the locking reservation keeps the lock.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { alertAdmins } from "@/lib/alerts/admin-alerts";
import { RECOVERY_ALERT_REMAINING } from "@/lib/alerts/kinds";
import { MFA_LIMIT, keys, minutesText, releaseAttempt, reserveAttempt } from "@/lib/attempts";
import { audit, auditWithId } from "@/lib/audit";
import type { LiveChallenge } from "@/lib/auth/challenge";
import { consumeChallengeGate, openSessionWith, type OpenedRow } from "@/lib/auth/session-sql";
import { decrypt, randomToken } from "@/lib/crypto";
import { rowsOf, type Db, type Executor } from "@/lib/db/client";
import { mfaFactors } from "@/lib/db/schema";
import { AppError, fieldError, withReason } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { sixDigitCode } from "@/lib/validation";
import { remainingRecoveryCodes } from "./factors";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";
import { consumeRecoveryCode, RECOVERY_LOW_WATERMARK } from "./recovery";
import { notifyRemembered } from "./remembered-devices";
import { checkTotp } from "./totp";

export const totpLoginSchema = z.object({
  code: sixDigitCode("from your authenticator app"),
});
export const recoveryLoginSchema = z.object({
  code: z.string({ error: "Enter a recovery code." }).trim().min(1, "Enter a recovery code.").max(64, "That is not a recovery code."),
});

export const LOCKED_MESSAGE = (seconds: number) =>
  `Too many incorrect codes. For your security, two-step sign-in is locked for ${minutesText(seconds)}. Try again later or contact your administrator.`;
export const WRONG_TOTP = "That code is not valid. Enter the current code from your authenticator app.";
export const WRONG_RECOVERY = "That recovery code is not valid or was already used.";
export const REPLAYED_TOTP = "This code was already used. Wait for the next code in your app.";

/** From this many failures in a row, replies say how many tries are left (the 7th of 10). */
export const WARN_FROM_FAILURES = MFA_LIMIT.max - 3;

/** " 3 tries left before …" once `failures` (in a row, this one included) reach the warning zone; "" before. */
export function triesLeftNote(failures: number) {
  const left = MFA_LIMIT.max - failures;
  if (failures < WARN_FROM_FAILURES || left <= 0) return "";
  return ` ${left} ${left === 1 ? "try" : "tries"} left before two-step sign-in is locked for ${minutesText(MFA_LIMIT.lockSeconds)}.`;
}

type Method = "totp" | "recovery" | "email" | "temp_code" | "webauthn";

/**
 * Whose second factor is checked: a login challenge's user and organisation, or, with `purpose`, the
 * user of a password-reset link (lib/auth/reset-password.ts). Both use the same budget and replay guard.
 */
export type FactorSubject = Pick<LiveChallenge, "user" | "org"> & { purpose?: "password-reset" };

/** What runs in the transaction that used the factor (complete the challenge, or mark the reset verified). */
export type FactorFinish = (tx: Executor, detail: Record<string, unknown>) => Promise<void>;

/** Reserves one attempt from the shared budget, or refuses with the lockout message. */
export async function reserveSecondFactorAttempt(db: Db, challenge: FactorSubject) {
  const reservation = await reserveAttempt(db, keys.mfa(challenge.user.id), MFA_LIMIT);
  if (!reservation.allowed)
    throw withReason(new AppError("rate_limited", LOCKED_MESSAGE(reservation.retryAfterSeconds)), "locked", reservation.retryAfterSeconds);
  return reservation.count;
}

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
async function openLogin(
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

const SIGN_IN_ENDED = "This sign-in has already been completed or has expired. Please sign in again.";

/** After the statement: the remembered-browser email (the session's own aftermath is lib/auth/open-session.ts). */
async function verified(challenge: LiveChallenge, opened: OpenedRow, remember: RememberedBrowser | undefined, meta: RequestMeta) {
  if (remember) await notifyRemembered({ ...challenge.user, org: challenge.org }, remember.expiresAt, meta);
  return { session: opened, rememberedDevice: remember ?? null } satisfies VerifiedLogin;
}

/** Failure: audited; the attempt that reaches the limit is recorded as a lockout and the user is told by email. */
export async function recordSecondFactorFailure(
  db: Db,
  challenge: FactorSubject,
  method: Method,
  attempt: number,
  meta: RequestMeta,
  /** Why, when the method tells refusals apart (a security key: unknown key, used challenge, …). */
  extra: Record<string, unknown> = {},
) {
  const { user } = challenge;
  const locked = attempt >= MFA_LIMIT.max;
  const ref = await auditWithId(db, {
    orgId: user.orgId,
    event: locked ? "mfa.locked" : "mfa.challenge.failure",
    actorUserId: user.id,
    targetUserId: user.id,
    detail: { method, attempt, ...extra, ...(challenge.purpose ? { purpose: challenge.purpose } : {}) },
    meta,
  });
  if (!locked) return;
  await notifyUser({ ...user, org: challenge.org }, "mfa-locked", { purpose: challenge.purpose });
  // Admins hear about it too (issue #17): one call, easy to move with the lockout itself.
  await alertAdmins(db, { kind: "mfa-locked", orgId: user.orgId, member: user, ref, detail: { ip: meta.ip } });
}

/**
 * Records the failure and throws the reply: `wrong` plus the tries left, or, for the failure that
 * reaches the limit, the lockout message (with the limit's own lock time).
 */
export async function failSecondFactor(
  db: Db,
  challenge: FactorSubject,
  method: Method,
  attempt: number,
  meta: RequestMeta,
  wrong: string,
  extra?: Record<string, unknown>,
): Promise<never> {
  await recordSecondFactorFailure(db, challenge, method, attempt, meta, extra);
  if (attempt >= MFA_LIMIT.max)
    throw withReason(new AppError("rate_limited", LOCKED_MESSAGE(MFA_LIMIT.lockSeconds)), "locked", MFA_LIMIT.lockSeconds);
  throw withReason(fieldError("code", wrong + triesLeftNote(attempt)), "invalid_code");
}

/** A valid TOTP code used before: the reserved attempt is given back (unless it was the locking one). */
async function replayed(db: Db, challenge: FactorSubject, attempt: number, meta: RequestMeta): Promise<never> {
  if (attempt >= MFA_LIMIT.max) return failSecondFactor(db, challenge, "totp", attempt, meta, REPLAYED_TOTP);
  const { user } = challenge;
  await releaseAttempt(db, keys.mfa(user.id));
  await audit(db, {
    orgId: user.orgId,
    event: "mfa.challenge.failure",
    actorUserId: user.id,
    targetUserId: user.id,
    detail: { method: "totp", reason: "replayed", counted: false, ...(challenge.purpose ? { purpose: challenge.purpose } : {}) },
    meta,
  });
  throw withReason(fieldError("code", REPLAYED_TOTP + triesLeftNote(attempt - 1)), "code_already_used");
}

type Claim = (tx: Executor) => Promise<Record<string, unknown> | null>;

/** Runs `claim` (the factor-specific single-use check) and `finish` in one transaction. */
async function withFactor(db: Db, finish: FactorFinish, claim: Claim) {
  return db.transaction(async (tx) => {
    const detail = await claim(tx);
    if (!detail) return null;
    await finish(tx, detail);
    return detail;
  });
}

/** For a use of a factor other than signing in (a password-reset step-up): runs a claim and `finish` in one transaction. */
export const finishWith = (db: Db, finish: FactorFinish) => (claim: Claim) => withFactor(db, finish, claim);

/**
 * Runs `claim` (the factor-specific single-use check: a recovery code, an emailed code, a temporary code)
 * and opens the session in one transaction; a sign-in that ended meanwhile rolls the claim back.
 */
export async function completeWithFactor(
  db: Db,
  challenge: LiveChallenge,
  method: Method,
  meta: RequestMeta,
  claim: Claim,
  options: LoginOptions = {},
): Promise<(VerifiedLogin & { detail: Record<string, unknown> }) | null> {
  const done = await db.transaction(async (tx) => {
    const detail = await claim(tx);
    if (!detail) return null;
    const { opened, remember } = await openLogin(tx, challenge, method, detail, meta, options);
    if (!opened) throw new AppError("conflict", SIGN_IN_ENDED);
    return { detail, opened, remember };
  });
  if (!done) return null;
  return { detail: done.detail, ...(await verified(challenge, done.opened, done.remember, meta)) };
}

/** Claims a TOTP time step for good (the replay guard) and does what the factor was for; false if another request claimed it first. */
export type TotpCommit = (db: Db, claim: { factorId: string; step: number; factorName: string }) => Promise<boolean>;

/**
 * The replay guard: only one request can move last_used_step to this step. At login (`challengeId`) only
 * while that sign-in is still pending, so a code sent for a sign-in that ended is not used up.
 */
const claimStep = (factorId: string, step: number, challengeId?: string) =>
  sql`UPDATE mfa_factors SET last_used_step = ${step}, last_used_at = now()
    WHERE id = ${factorId} AND (last_used_step IS NULL OR last_used_step < ${step})
    ${
      challengeId
        ? sql`AND EXISTS (SELECT 1 FROM login_challenges WHERE id = ${challengeId}
            AND completed_at IS NULL AND consumed_at IS NULL AND expires_at > now())`
        : sql``
    }
    RETURNING id`;

/** The commit of a TOTP code that signs in: the claim, the challenge and the session in one statement. */
export async function verifyTotpLogin(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof totpLoginSchema>,
  meta: RequestMeta,
  options: LoginOptions = {},
): Promise<VerifiedLogin> {
  let result: { opened: OpenedRow; remember?: RememberedBrowser } | undefined;
  await checkTotpFactor(db, challenge, input.code, meta, async (_db, claim) => {
    const detail = { factor: claim.factorName };
    const { opened, claimed, remember } = await openLogin(db, challenge, "totp", detail, meta, options, [
      "claim",
      claimStep(claim.factorId, claim.step, challenge.challenge.id),
    ]);
    // Neither happened: the sign-in ended meanwhile (the step stays usable), or another request claimed the step.
    if (!opened && !(await isPending(db, challenge.challenge.id))) throw new AppError("conflict", SIGN_IN_ENDED);
    if (!claimed) return false;
    if (!opened) throw new AppError("conflict", SIGN_IN_ENDED);
    result = { opened, remember };
    return true;
  });
  return verified(challenge, result!.opened, result!.remember, meta);
}

/** Whether the sign-in still waits for its second factor (only asked when a code was not accepted). */
async function isPending(db: Db, challengeId: string) {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`SELECT id FROM login_challenges WHERE id = ${challengeId} AND completed_at IS NULL AND consumed_at IS NULL AND expires_at > now()`,
  );
  return rows.length === 1;
}

/** A commit for any other use of a TOTP code (a password-reset step-up): the claim and `finish` in one transaction. */
export function totpCommit(finish: FactorFinish): TotpCommit {
  return async (db, claim) => {
    const done = await withFactor(db, finish, async (tx) => {
      const claimed = await rowsOf<{ id: string }>(tx, claimStep(claim.factorId, claim.step));
      return claimed.length === 1 ? { factor: claim.factorName } : null;
    });
    return done !== null;
  };
}

/**
 * A TOTP code for `subject`: the attempt is reserved first, each of their authenticators is tried, and
 * the matched time step is claimed atomically (replay guard) in the transaction that runs `finish`.
 * Throws the reply on failure (wrong, reused, locked).
 */
export async function checkTotpFactor(db: Db, challenge: FactorSubject, code: string, meta: RequestMeta, commit: TotpCommit) {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const factors = isMethodAllowed(challenge.org, "totp", challenge.user.role)
    ? await db
        .select()
        .from(mfaFactors)
        .where(and(eq(mfaFactors.userId, challenge.user.id), eq(mfaFactors.type, "totp"), isNotNull(mfaFactors.confirmedAt)))
    : [];
  let used = false;
  for (const factor of factors) {
    if (!factor.secretEnc) continue;
    const secret = decrypt(factor.secretEnc);
    const check = await checkTotp(secret, code, { afterTimeStep: factor.lastUsedStep });
    if (!check.valid) {
      // Valid for a step already accepted: a replay, not a guess.
      if (factor.lastUsedStep != null) {
        const any = await checkTotp(secret, code);
        if (any.valid && any.timeStep <= factor.lastUsedStep) used = true;
      }
      continue;
    }
    if (await commit(db, { factorId: factor.id, step: check.timeStep, factorName: factor.name })) return;
    used = true; // another request claimed this step first
  }
  if (used) return replayed(db, challenge, attempt, meta);
  return failSecondFactor(db, challenge, "totp", attempt, meta, WRONG_TOTP);
}

export async function verifyRecoveryLogin(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof recoveryLoginSchema>,
  meta: RequestMeta,
  options: LoginOptions = {},
) {
  let login: VerifiedLogin | undefined;
  const result = await checkRecoveryCode(db, challenge, input.code, meta, async (claim) => {
    const done = await completeWithFactor(db, challenge, "recovery", meta, claim, options);
    if (done) login = done;
    return done?.detail ?? null;
  });
  return { session: login!.session, rememberedDevice: login!.rememberedDevice, ...result };
}

/**
 * A recovery code for `subject`: counted first, used once (atomic), and what it was for done in the same
 * transaction (`run`: completeWithFactor at login, `finishWith` elsewhere); the owner is emailed.
 */
export async function checkRecoveryCode(
  db: Db,
  challenge: FactorSubject,
  code: string,
  meta: RequestMeta,
  run: (claim: Claim) => Promise<Record<string, unknown> | null>,
) {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const { user } = challenge;
  const purpose = challenge.purpose ? { purpose: challenge.purpose } : {};
  const claim: Claim = async (tx) => {
    if (!(await consumeRecoveryCode(tx, user.id, code))) return null;
    const remaining = await remainingRecoveryCodes(tx, user.id);
    await audit(tx, {
      orgId: user.orgId,
      event: "mfa.recovery.used",
      actorUserId: user.id,
      targetUserId: user.id,
      detail: { remaining, ...purpose },
      meta,
    });
    return { remaining };
  };
  const done = await run(claim);
  if (done) {
    const remaining = Number(done.remaining);
    await notifyUser({ ...user, org: challenge.org }, "recovery-used", { remaining, ...purpose });
    if (remaining === RECOVERY_ALERT_REMAINING) {
      await alertAdmins(db, {
        kind: "recovery-low",
        orgId: user.orgId,
        member: user,
        ref: randomUUID(),
        detail: { remaining, ip: meta.ip },
      });
    }
    return { remaining, low: remaining <= RECOVERY_LOW_WATERMARK };
  }
  return failSecondFactor(db, challenge, "recovery", attempt, meta, WRONG_RECOVERY);
}
