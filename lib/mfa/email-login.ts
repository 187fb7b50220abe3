/**
 * Email codes at login (S18): sent for one login challenge, checked against the failed-attempt budget
 * shared with TOTP and recovery codes (verify-login.ts). Storage and sending: email-codes.ts.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { keys, retryAfter } from "@/lib/attempts";
import type { LiveChallenge } from "@/lib/auth/challenge";
import { randomDigits } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { emailCodes, loginChallenges, mfaFactors } from "@/lib/db/schema";
import { AppError, withReason } from "@/lib/errors";
import { loginCodeEmail } from "@/lib/mail/templates";
import type { RequestMeta } from "@/lib/request-context";
import {
  EMAIL_NOT_SET_UP,
  EmailCooldownError,
  WRONG_EMAIL_CODE,
  confirmedEmailFactor,
  consumeCode,
  cooldownSeconds,
  deliver,
  emailCodeSchema,
  insertCode,
  lockUser,
  scopeCondition,
  type Scope,
} from "./email-codes";
import { EMAIL_CODE_MINUTES, EMAIL_RESEND_COOLDOWN_SECONDS, maskEmail, type SendLoginCodeResult } from "./email-shared";
import { isMethodAllowed } from "./policy";
import {
  LOCKED_MESSAGE,
  completeWithFactor,
  failSecondFactor,
  reserveSecondFactorAttempt,
  type LoginOptions,
  type VerifiedLogin,
} from "./verify-login";

export const sendLoginCodeSchema = z.object({
  /** "auto": only when this login has no code yet (the screen opening); "resend": a new code. */
  mode: z.enum(["auto", "resend"]).default("resend"),
});
export const emailLoginSchema = z.object({ code: emailCodeSchema });

/** Email codes can be used for this login: the organisation allows them and the user set them up. */
async function emailUsable(db: Executor, challenge: LiveChallenge) {
  return isMethodAllowed(challenge.org, "email", challenge.user.role) ? confirmedEmailFactor(db, challenge.user.id) : null;
}

/** What the 2FA screen shows about email codes for this login (read-only: rendering sends nothing). */
export async function loginEmailStatus(db: Executor, challenge: LiveChallenge) {
  const factor = await emailUsable(db, challenge);
  if (!factor) return null;
  const [latest] = await db
    .select({ id: emailCodes.id })
    .from(emailCodes)
    .where(
      and(
        scopeCondition({ purpose: "login", challengeId: challenge.challenge.id }),
        isNull(emailCodes.consumedAt),
        gt(emailCodes.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return { maskedEmail: maskEmail(challenge.user.email), codeSent: !!latest };
}

/**
 * Emails a sign-in code for this login challenge. `auto` sends only if this login has no live code yet,
 * so opening the screen twice (a reload, React's double effects) sends one email. `resend` replaces the
 * code, once the 30-second cooldown has passed. Neither touches the failed-attempt budget.
 */
export async function sendLoginEmailCode(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof sendLoginCodeSchema>,
): Promise<SendLoginCodeResult> {
  const { user } = challenge;
  const maskedEmail = maskEmail(user.email);
  if (challenge.challenge.completedAt) throw new AppError("conflict", "This sign-in has already been completed. Please sign in again.");
  const locked = await retryAfter(db, keys.mfa(user.id));
  if (locked > 0) throw withReason(new AppError("rate_limited", LOCKED_MESSAGE(locked)), "locked", locked);
  const scope: Scope = { purpose: "login", challengeId: challenge.challenge.id };
  const code = randomDigits(6);
  const reserved = await db.transaction(async (tx) => {
    await lockUser(tx, user.id);
    if (!(await emailUsable(tx, challenge))) throw new AppError("forbidden", EMAIL_NOT_SET_UP);
    const [live] = await tx
      .select({ id: loginChallenges.id })
      .from(loginChallenges)
      .where(
        and(
          eq(loginChallenges.id, challenge.challenge.id),
          isNull(loginChallenges.completedAt),
          isNull(loginChallenges.consumedAt),
          gt(loginChallenges.expiresAt, sql`now()`),
        ),
      );
    if (!live) throw new AppError("conflict", "Your sign-in has expired. Please sign in again.");
    const wait = await cooldownSeconds(tx, user.id, "login");
    if (input.mode === "auto") {
      const [existing] = await tx
        .select({ id: emailCodes.id })
        .from(emailCodes)
        .where(and(scopeCondition(scope), isNull(emailCodes.consumedAt), gt(emailCodes.expiresAt, sql`now()`)))
        .limit(1);
      if (existing) return { wait };
    }
    if (wait > 0) throw new EmailCooldownError(wait);
    return { row: await insertCode(tx, user.id, scope, code) };
  });
  if (!reserved.row) return { sent: false, maskedEmail, resendInSeconds: reserved.wait };
  const email = loginCodeEmail({ orgName: challenge.org.name, userName: user.name, code, minutesValid: EMAIL_CODE_MINUTES });
  await deliver(db, reserved.row, scope, user.email, email);
  return { sent: true, maskedEmail, resendInSeconds: EMAIL_RESEND_COOLDOWN_SECONDS };
}

/**
 * Checks an emailed code. The attempt is counted first in the budget shared with TOTP and recovery
 * codes; the code is used with one conditional UPDATE inside the transaction that completes the login.
 */
export async function verifyEmailLogin(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof emailLoginSchema>,
  meta: RequestMeta,
  options: LoginOptions = {},
): Promise<VerifiedLogin> {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const scope: Scope = { purpose: "login", challengeId: challenge.challenge.id };
  const factor = await emailUsable(db, challenge);
  const done = factor
    ? await completeWithFactor(
        db,
        challenge,
        "email",
        meta,
        async (tx) => {
          const used = await consumeCode(tx, challenge.user.id, scope, input.code);
          if (!used) return null;
          await tx
            .update(mfaFactors)
            .set({ lastUsedAt: sql`now()` })
            .where(eq(mfaFactors.id, factor.id));
          return { factor: factor.name };
        },
        options,
      )
    : null;
  if (done) return { session: done.session, rememberedDevice: done.rememberedDevice };
  return failSecondFactor(db, challenge, "email", attempt, meta, WRONG_EMAIL_CODE);
}
