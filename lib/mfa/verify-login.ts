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
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { alertAdmins } from "@/lib/alerts/admin-alerts";
import { RECOVERY_ALERT_REMAINING } from "@/lib/alerts/kinds";
import { audit } from "@/lib/audit";
import type { LiveChallenge } from "@/lib/auth/challenge";
import type { OpenedRow } from "@/lib/auth/session-sql";
import { decrypt } from "@/lib/crypto";
import { rowsOf, type Db, type Executor } from "@/lib/db/client";
import { mfaFactors } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { sixDigitCode } from "@/lib/validation";
import { remainingRecoveryCodes } from "./factors";
import {
  SIGN_IN_ENDED,
  isPending,
  openLogin,
  verified,
  type LoginOptions,
  type RememberedBrowser,
  type VerifiedLogin,
} from "./login-session";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";
import { consumeRecoveryCode, RECOVERY_LOW_WATERMARK } from "./recovery";
import {
  WRONG_RECOVERY,
  WRONG_TOTP,
  failSecondFactor,
  replayedTotp,
  reserveSecondFactorAttempt,
  type FactorFinish,
  type FactorSubject,
  type Method,
} from "./second-factor-budget";
import { checkTotp } from "./totp";

export const totpLoginSchema = z.object({
  code: sixDigitCode("from your authenticator app"),
});
export const recoveryLoginSchema = z.object({
  code: z.string({ error: "Enter a recovery code." }).trim().min(1, "Enter a recovery code.").max(64, "That is not a recovery code."),
});

export * from "./second-factor-budget";
export type { LoginOptions, RememberedBrowser, VerifiedLogin };

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
    // Neither happened: the sign-in had ended before this request (the step stays usable; one ending at the very
    // same instant can still use it up, docs/performance.md), or another request claimed the step.
    if (!opened && !(await isPending(db, challenge.challenge.id))) throw new AppError("conflict", SIGN_IN_ENDED);
    if (!claimed) return false;
    if (!opened) throw new AppError("conflict", SIGN_IN_ENDED);
    result = { opened, remember };
    return true;
  });
  return verified(challenge, result!.opened, result!.remember, meta);
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
  if (used) return replayedTotp(db, challenge, attempt, meta);
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
