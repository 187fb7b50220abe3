/**
 * The second step's shared budget and replies, for every method and every purpose (login, password-reset
 * step-up): one attempt reserved before any check, failures audited (the locking one as a lockout, with
 * the owner and the organisation's admins told), replies that count down from the 7th failure.
 */
import { alertAdmins } from "@/lib/alerts/admin-alerts";
import { MFA_LIMIT, keys, minutesText, releaseAttempt, reserveAttempt } from "@/lib/attempts";
import { audit, auditWithId } from "@/lib/audit";
import type { LiveChallenge } from "@/lib/auth/challenge";
import type { Db, Executor } from "@/lib/db/client";
import { AppError, fieldError, withReason } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { notifyUser } from "./notify";

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

export type Method = "totp" | "recovery" | "email" | "temp_code" | "webauthn";

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
export async function replayedTotp(db: Db, challenge: FactorSubject, attempt: number, meta: RequestMeta): Promise<never> {
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
