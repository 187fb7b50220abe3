/**
 * The second step of login. The account comes from the server-side challenge, never from the request.
 * Every attempt is first counted in the per-account budget shared by all factors and all challenges
 * (atomic reservation, lib/attempts.ts); a success resets it. A TOTP code is accepted once: the time
 * step it matched must be later than the factor's last accepted step, recorded with a conditional
 * UPDATE so that two browsers submitting the same code at once get one success.
 */
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { MFA_LIMIT, keys, minutesText, reserveAttempt, resetAttempts } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { completeChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import { decrypt } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { mfaFactors } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { remainingRecoveryCodes } from "./factors";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";
import { consumeRecoveryCode, RECOVERY_LOW_WATERMARK } from "./recovery";
import { checkTotp } from "./totp";

export const totpLoginSchema = z.object({
  code: z
    .string({ error: "Enter the 6-digit code." })
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.")),
});
export const recoveryLoginSchema = z.object({
  code: z.string({ error: "Enter a recovery code." }).trim().min(1, "Enter a recovery code.").max(64, "That is not a recovery code."),
});

export const LOCKED_MESSAGE = (seconds: number) =>
  `Too many incorrect codes. For your security, two-step sign-in is locked for ${minutesText(seconds)}. Try again later or contact your administrator.`;
export const WRONG_TOTP = "That code is not valid. Enter the current code from your authenticator app.";
export const WRONG_RECOVERY = "That recovery code is not valid or was already used.";

type Method = "totp" | "recovery" | "email";

/** Reserves one attempt from the shared budget, or refuses with the lockout message. */
export async function reserveSecondFactorAttempt(db: Db, challenge: LiveChallenge) {
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
  await audit(tx, { orgId: user.orgId, event: "mfa.challenge.success", actorUserId: user.id, targetUserId: user.id, detail: { method, ...detail }, meta });
}

/** Failure: audited; the attempt that reaches the limit is recorded as a lockout and the user is told by email. */
export async function recordSecondFactorFailure(db: Db, challenge: LiveChallenge, method: Method, attempt: number, meta: RequestMeta) {
  const { user } = challenge;
  const locked = attempt >= MFA_LIMIT.max;
  await audit(db, {
    orgId: user.orgId,
    event: locked ? "mfa.locked" : "mfa.challenge.failure",
    actorUserId: user.id,
    targetUserId: user.id,
    detail: { method, attempt },
    meta,
  });
  if (locked) await notifyUser({ ...user, org: challenge.org }, "mfa-locked");
}

/** Runs `claim` (the factor-specific single-use check) and the challenge completion in one transaction. */
export async function completeWithFactor(
  db: Db,
  challenge: LiveChallenge,
  method: Method,
  meta: RequestMeta,
  claim: (tx: Executor) => Promise<Record<string, unknown> | null>,
) {
  return db.transaction(async (tx) => {
    const detail = await claim(tx);
    if (!detail) return null;
    await succeed(tx, challenge, method, detail, meta);
    return detail;
  });
}

export async function verifyTotpLogin(db: Db, challenge: LiveChallenge, input: z.infer<typeof totpLoginSchema>, meta: RequestMeta) {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const factors = isMethodAllowed(challenge.org, "totp")
    ? await db
        .select()
        .from(mfaFactors)
        .where(and(eq(mfaFactors.userId, challenge.user.id), eq(mfaFactors.type, "totp"), isNotNull(mfaFactors.confirmedAt)))
    : [];
  for (const factor of factors) {
    if (!factor.secretEnc) continue;
    const check = await checkTotp(decrypt(factor.secretEnc), input.code, { afterTimeStep: factor.lastUsedStep });
    if (!check.valid) continue;
    const done = await completeWithFactor(db, challenge, "totp", meta, async (tx) => {
      // The replay guard: only one request can move last_used_step to this step.
      const claimed = await tx
        .update(mfaFactors)
        .set({ lastUsedStep: check.timeStep, lastUsedAt: sql`now()` })
        .where(and(eq(mfaFactors.id, factor.id), or(isNull(mfaFactors.lastUsedStep), lt(mfaFactors.lastUsedStep, check.timeStep))))
        .returning({ id: mfaFactors.id });
      return claimed.length === 1 ? { factor: factor.name } : null;
    });
    if (done) return { method: "totp" as const };
  }
  await recordSecondFactorFailure(db, challenge, "totp", attempt, meta);
  throw fieldError("code", WRONG_TOTP);
}

export async function verifyRecoveryLogin(db: Db, challenge: LiveChallenge, input: z.infer<typeof recoveryLoginSchema>, meta: RequestMeta) {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const { user } = challenge;
  const done = await completeWithFactor(db, challenge, "recovery", meta, async (tx) => {
    if (!(await consumeRecoveryCode(tx, user.id, input.code))) return null;
    const remaining = await remainingRecoveryCodes(tx, user.id);
    await audit(tx, { orgId: user.orgId, event: "mfa.recovery.used", actorUserId: user.id, targetUserId: user.id, detail: { remaining }, meta });
    return { remaining };
  });
  if (done) {
    const remaining = Number(done.remaining);
    await notifyUser({ ...user, org: challenge.org }, "recovery-used", { remaining });
    return { method: "recovery" as const, remaining, low: remaining <= RECOVERY_LOW_WATERMARK };
  }
  await recordSecondFactorFailure(db, challenge, "recovery", attempt, meta);
  throw fieldError("code", WRONG_RECOVERY);
}
