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
import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { MFA_LIMIT, keys, minutesText, releaseAttempt, reserveAttempt, resetAttempts } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { completeChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import { decrypt } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { mfaFactors } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { sixDigitCode } from "@/lib/validation";
import { remainingRecoveryCodes } from "./factors";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";
import { consumeRecoveryCode, RECOVERY_LOW_WATERMARK } from "./recovery";
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
  if (!reservation.allowed) throw new AppError("rate_limited", LOCKED_MESSAGE(reservation.retryAfterSeconds));
  return reservation.count;
}

/** Success, inside the caller's transaction: completes the challenge and resets the budget. */
async function succeed(tx: Executor, challenge: LiveChallenge, method: Method, detail: Record<string, unknown>, meta: RequestMeta) {
  const { user } = challenge;
  const completed = await completeChallenge(tx, challenge.challenge.id, method);
  if (!completed) throw new AppError("conflict", "This sign-in has already been completed or has expired. Please sign in again.");
  await resetAttempts(tx, keys.mfa(user.id));
  await audit(tx, {
    orgId: user.orgId,
    event: "mfa.challenge.success",
    actorUserId: user.id,
    targetUserId: user.id,
    detail: { method, ...detail },
    meta,
  });
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
  await audit(db, {
    orgId: user.orgId,
    event: locked ? "mfa.locked" : "mfa.challenge.failure",
    actorUserId: user.id,
    targetUserId: user.id,
    detail: { method, attempt, ...extra, ...(challenge.purpose ? { purpose: challenge.purpose } : {}) },
    meta,
  });
  if (locked) await notifyUser({ ...user, org: challenge.org }, "mfa-locked", { purpose: challenge.purpose });
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
  if (attempt >= MFA_LIMIT.max) throw new AppError("rate_limited", LOCKED_MESSAGE(MFA_LIMIT.lockSeconds));
  throw fieldError("code", wrong + triesLeftNote(attempt));
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
  throw fieldError("code", REPLAYED_TOTP + triesLeftNote(attempt - 1));
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

/** Runs `claim` (the factor-specific single-use check) and the challenge completion in one transaction. */
export async function completeWithFactor(db: Db, challenge: LiveChallenge, method: Method, meta: RequestMeta, claim: Claim) {
  return withFactor(db, (tx, detail) => succeed(tx, challenge, method, detail, meta), claim);
}

export async function verifyTotpLogin(db: Db, challenge: LiveChallenge, input: z.infer<typeof totpLoginSchema>, meta: RequestMeta) {
  await checkTotpFactor(db, challenge, input.code, meta, (tx, detail) => succeed(tx, challenge, "totp", detail, meta));
  return { method: "totp" as const };
}

/**
 * A TOTP code for `subject`: the attempt is reserved first, each of their authenticators is tried, and
 * the matched time step is claimed atomically (replay guard) in the transaction that runs `finish`.
 * Throws the reply on failure (wrong, reused, locked).
 */
export async function checkTotpFactor(db: Db, challenge: FactorSubject, code: string, meta: RequestMeta, finish: FactorFinish) {
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
    const done = await withFactor(db, finish, async (tx) => {
      // The replay guard: only one request can move last_used_step to this step.
      const claimed = await tx
        .update(mfaFactors)
        .set({ lastUsedStep: check.timeStep, lastUsedAt: sql`now()` })
        .where(and(eq(mfaFactors.id, factor.id), or(isNull(mfaFactors.lastUsedStep), lt(mfaFactors.lastUsedStep, check.timeStep))))
        .returning({ id: mfaFactors.id });
      return claimed.length === 1 ? { factor: factor.name } : null;
    });
    if (done) return;
    used = true; // another request claimed this step first
  }
  if (used) return replayed(db, challenge, attempt, meta);
  return failSecondFactor(db, challenge, "totp", attempt, meta, WRONG_TOTP);
}

export async function verifyRecoveryLogin(db: Db, challenge: LiveChallenge, input: z.infer<typeof recoveryLoginSchema>, meta: RequestMeta) {
  const result = await checkRecoveryCode(db, challenge, input.code, meta, (tx, detail) => succeed(tx, challenge, "recovery", detail, meta));
  return { method: "recovery" as const, ...result };
}

/** A recovery code for `subject`: counted first, used once (atomic), `finish` in the same transaction; the owner is emailed. */
export async function checkRecoveryCode(db: Db, challenge: FactorSubject, code: string, meta: RequestMeta, finish: FactorFinish) {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const { user } = challenge;
  const purpose = challenge.purpose ? { purpose: challenge.purpose } : {};
  const done = await withFactor(db, finish, async (tx) => {
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
  });
  if (done) {
    const remaining = Number(done.remaining);
    await notifyUser({ ...user, org: challenge.org }, "recovery-used", { remaining, ...purpose });
    return { remaining, low: remaining <= RECOVERY_LOW_WATERMARK };
  }
  return failSecondFactor(db, challenge, "recovery", attempt, meta, WRONG_RECOVERY);
}
