/**
 * Email as a second factor (S18, S19): enrolment of the account's own address, and login codes.
 *
 * Codes are six digits from the CSPRNG, valid 10 minutes, single-use, bound to one login challenge (or
 * one pending enrolment) and stored only as a SHA-256 hash that also covers what they are bound to.
 * A code is used with one atomic `UPDATE … WHERE consumed_at IS NULL AND expires_at > now() RETURNING`,
 * so two concurrent submissions of the same code give one success.
 *
 * Sending is in three steps, so that a failed send changes nothing:
 *   1. a short transaction, holding the user's row lock, checks the 30-second cooldown (per user and
 *      purpose: a new login does not get around it) and inserts the new code row;
 *   2. the email is sent, outside any transaction;
 *   3. sent: the older codes of the same login (or enrolment) are deleted, so the new one replaces them.
 *      Not sent: the new row is deleted again (and a factor row created in step 1), so no row is left to
 *      hold the cooldown, the earlier code still works, and the user sees MailDeliveryError's message.
 * Sending inside the transaction is not an option: with the embedded PGlite database (one connection)
 * the dev mailbox's insert would wait for the transaction forever, and an SMTP timeout would hold the
 * whole database for seconds. While the message is on its way the new row already holds the cooldown,
 * so a double click or a second tab cannot send twice.
 */
import { and, desc, eq, gt, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { keys, minutesText, reserveAttempt, resetAttempts, retryAfter, type Limit } from "@/lib/attempts";
import type { LiveChallenge } from "@/lib/auth/challenge";
import { randomDigits, sha256 } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { emailCodes, loginChallenges, mfaFactors, users } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { enrolCodeEmail, loginCodeEmail, type Email } from "@/lib/mail/templates";
import type { RequestMeta } from "@/lib/request-context";
import type { MfaActor } from "./actor";
import { factorNameSchema } from "./enrol-totp";
import { notifyUser } from "./notify";
import {
  DEFAULT_EMAIL_FACTOR_NAME,
  EMAIL_CODE_MINUTES,
  EMAIL_CODE_TTL_SECONDS,
  EMAIL_RESEND_COOLDOWN_SECONDS,
  EMAIL_WEAKER_NOTE,
  maskEmail,
  type SendLoginCodeResult,
} from "./email-shared";
import { isMethodAllowed } from "./policy";
import { onFactorConfirmed } from "./factors";
import {
  LOCKED_MESSAGE,
  completeWithFactor,
  recordSecondFactorFailure,
  reserveSecondFactorAttempt,
} from "./verify-login";

export { DEFAULT_EMAIL_FACTOR_NAME, EMAIL_CODE_MINUTES, EMAIL_CODE_TTL_SECONDS, EMAIL_RESEND_COOLDOWN_SECONDS, EMAIL_WEAKER_NOTE, maskEmail };
export type { SendLoginCodeResult };

/** Wrong codes while confirming an enrolment: limited on their own (the user is signed in, or mid-login). */
export const EMAIL_ENROL_LIMIT: Limit = { max: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
const enrolAttemptsKey = (userId: string) => `email-enrol:${userId}`;

export const EMAIL_NOT_ALLOWED = "Your organisation does not allow email codes.";
export const WRONG_EMAIL_CODE = "That code is not valid or has expired. Use the code from the newest email, or ask for a new one.";
export const EMAIL_NOT_SET_UP = "Email codes are not set up for this account.";
export const EMAIL_ALREADY_SET_UP = "Email codes are already set up for your account.";
export const cooldownMessage = (seconds: number) =>
  `A code was sent moments ago: use it, or ask for a new one in ${seconds} second${seconds === 1 ? "" : "s"}.`;

/** Refused because a code was sent less than 30 seconds ago; carries the seconds left. */
export class EmailCooldownError extends AppError {
  constructor(public retryAfterSeconds: number) {
    super("rate_limited", cooldownMessage(retryAfterSeconds));
    this.name = "EmailCooldownError";
  }
}

type Purpose = "login" | "enrol";
type Scope = { purpose: "login"; challengeId: string } | { purpose: "enrol"; factorId: string };

/** The stored hash covers what the code is bound to, so a hash is meaningless for any other login. */
function codeHash(scope: Scope, typed: string) {
  const code = typed.replace(/[\s-]/g, "");
  return sha256(scope.purpose === "login" ? `login:${scope.challengeId}:${code}` : `enrol:${scope.factorId}:${code}`);
}

function scopeCondition(scope: Scope) {
  return scope.purpose === "login"
    ? and(eq(emailCodes.purpose, "login"), eq(emailCodes.challengeId, scope.challengeId))
    : and(eq(emailCodes.purpose, "enrol"), eq(emailCodes.factorId, scope.factorId));
}

/** Serialises sends for one user (cooldown check + insert), whatever login or enrolment they are for. */
async function lockUser(tx: Executor, userId: string) {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
}

/** Seconds until this user may be sent another code for `purpose` (0: now). Unused codes only count. */
async function cooldownSeconds(tx: Executor, userId: string, purpose: Purpose) {
  const [row] = await tx
    .select({
      wait: sql<number>`CEIL(${EMAIL_RESEND_COOLDOWN_SECONDS} - EXTRACT(EPOCH FROM (now() - ${emailCodes.sentAt})))::int`,
    })
    .from(emailCodes)
    .where(
      and(
        eq(emailCodes.userId, userId),
        eq(emailCodes.purpose, purpose),
        isNull(emailCodes.consumedAt),
        gt(emailCodes.sentAt, sql`now() - make_interval(secs => ${EMAIL_RESEND_COOLDOWN_SECONDS})`),
      ),
    )
    .orderBy(desc(emailCodes.sentAt))
    .limit(1);
  return row ? Math.max(1, Number(row.wait)) : 0;
}

async function insertCode(tx: Executor, userId: string, scope: Scope, code: string) {
  const [row] = await tx
    .insert(emailCodes)
    .values({
      userId,
      purpose: scope.purpose,
      challengeId: scope.purpose === "login" ? scope.challengeId : null,
      factorId: scope.purpose === "enrol" ? scope.factorId : null,
      codeHash: codeHash(scope, code),
      sentAt: sql`now()`,
      expiresAt: sql`now() + make_interval(secs => ${EMAIL_CODE_TTL_SECONDS})`,
    })
    .returning({ id: emailCodes.id, sentAt: emailCodes.sentAt });
  return row!;
}

/**
 * Steps 2 and 3 (see the top of this file): send; then either retire the older codes of the same scope
 * or take the new row back (and run `undo` for anything else step 1 created).
 */
async function deliver(db: Db, row: { id: string; sentAt: Date }, scope: Scope, to: string, email: Email, undo?: (tx: Executor) => Promise<void>) {
  try {
    await sendMail({ to, ...email });
  } catch (error) {
    await db.transaction(async (tx) => {
      await tx.delete(emailCodes).where(eq(emailCodes.id, row.id));
      await undo?.(tx);
    });
    throw error;
  }
  // Only older rows: a later send (after a slow delivery) is never removed by this one.
  await db.delete(emailCodes).where(and(scopeCondition(scope), ne(emailCodes.id, row.id), lt(emailCodes.sentAt, row.sentAt)));
}

// ---------------------------------------------------------------------------------------------------
// Enrolment
// ---------------------------------------------------------------------------------------------------

export const startEmailEnrolmentSchema = z.object({ name: factorNameSchema.default(DEFAULT_EMAIL_FACTOR_NAME) });
const emailCodeSchema = z
  .string({ error: "Enter the 6-digit code." })
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the email."));

export const confirmEmailEnrolmentSchema = z.object({
  factorId: z.uuid({ error: "Start the setup again." }),
  code: emailCodeSchema,
});

async function confirmedEmailFactor(db: Executor, userId: string) {
  const [row] = await db
    .select({ id: mfaFactors.id, name: mfaFactors.name })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.type, "email"), isNotNull(mfaFactors.confirmedAt)));
  return row ?? null;
}

/** Whether the user has email codes set up (confirmed), whatever the organisation currently allows. */
export async function hasEmailFactor(db: Executor, userId: string) {
  return (await confirmedEmailFactor(db, userId)) !== null;
}

/**
 * "Send verification code": creates (or reuses) the user's pending email factor and emails a code to
 * the account's address. Also the resend during enrolment (same cooldown).
 */
export async function startEmailEnrolment(db: Db, actor: MfaActor, input: z.infer<typeof startEmailEnrolmentSchema>) {
  if (!isMethodAllowed(actor.org, "email")) throw new AppError("forbidden", EMAIL_NOT_ALLOWED);
  const code = randomDigits(6);
  const reserved = await db.transaction(async (tx) => {
    await lockUser(tx, actor.id);
    if (await confirmedEmailFactor(tx, actor.id)) throw new AppError("conflict", EMAIL_ALREADY_SET_UP);
    const wait = await cooldownSeconds(tx, actor.id, "enrol");
    if (wait > 0) throw new EmailCooldownError(wait);
    const [pending] = await tx
      .select({ id: mfaFactors.id })
      .from(mfaFactors)
      .where(and(eq(mfaFactors.userId, actor.id), eq(mfaFactors.orgId, actor.orgId), eq(mfaFactors.type, "email"), isNull(mfaFactors.confirmedAt)));
    let factorId = pending?.id;
    const created = !factorId;
    if (!factorId) {
      const [row] = await tx
        .insert(mfaFactors)
        .values({ userId: actor.id, orgId: actor.orgId, type: "email", name: input.name })
        .returning({ id: mfaFactors.id });
      factorId = row!.id;
    }
    const scope: Scope = { purpose: "enrol", factorId };
    return { scope, factorId, created, row: await insertCode(tx, actor.id, scope, code) };
  });
  const email = enrolCodeEmail({ orgName: actor.org.name, userName: actor.name, code, minutesValid: EMAIL_CODE_MINUTES });
  await deliver(db, reserved.row, reserved.scope, actor.email, email, async (tx) => {
    if (reserved.created) await tx.delete(mfaFactors).where(and(eq(mfaFactors.id, reserved.factorId), isNull(mfaFactors.confirmedAt)));
  });
  // The name typed with this request (a reused pending factor may carry an older one).
  if (!reserved.created) await db.update(mfaFactors).set({ name: input.name }).where(and(eq(mfaFactors.id, reserved.factorId), isNull(mfaFactors.confirmedAt)));
  return { factorId: reserved.factorId, maskedEmail: maskEmail(actor.email), cooldownSeconds: EMAIL_RESEND_COOLDOWN_SECONDS };
}

/** The code from the enrolment email turns the factor on; the first factor comes with recovery codes. */
export async function confirmEmailEnrolment(db: Db, actor: MfaActor, input: z.infer<typeof confirmEmailEnrolmentSchema>, meta?: RequestMeta) {
  if (!isMethodAllowed(actor.org, "email")) throw new AppError("forbidden", EMAIL_NOT_ALLOWED);
  const key = enrolAttemptsKey(actor.id);
  const reservation = await reserveAttempt(db, key, EMAIL_ENROL_LIMIT);
  if (!reservation.allowed) {
    throw new AppError("rate_limited", `Too many incorrect codes. Try again in ${minutesText(reservation.retryAfterSeconds)}.`);
  }
  const scope: Scope = { purpose: "enrol", factorId: input.factorId };
  const result = await db.transaction(async (tx) => {
    await lockUser(tx, actor.id);
    const [used] = await tx
      .update(emailCodes)
      .set({ consumedAt: sql`now()` })
      .where(
        and(
          scopeCondition(scope),
          eq(emailCodes.userId, actor.id),
          eq(emailCodes.codeHash, codeHash(scope, input.code)),
          isNull(emailCodes.consumedAt),
          gt(emailCodes.expiresAt, sql`now()`),
        ),
      )
      .returning({ id: emailCodes.id });
    if (!used) return null;
    if (await confirmedEmailFactor(tx, actor.id)) throw new AppError("conflict", EMAIL_ALREADY_SET_UP);
    const [factor] = await tx
      .update(mfaFactors)
      .set({ confirmedAt: sql`now()`, lastUsedAt: sql`now()` })
      .where(
        and(
          eq(mfaFactors.id, input.factorId),
          eq(mfaFactors.userId, actor.id),
          eq(mfaFactors.orgId, actor.orgId),
          eq(mfaFactors.type, "email"),
          isNull(mfaFactors.confirmedAt),
        ),
      )
      .returning({ id: mfaFactors.id, name: mfaFactors.name });
    if (!factor) throw new AppError("conflict", EMAIL_ALREADY_SET_UP);
    await tx.delete(emailCodes).where(and(scopeCondition(scope), ne(emailCodes.id, used.id)));
    const { first, recoveryCodes } = await onFactorConfirmed(tx, actor, { type: "email", name: factor.name }, meta);
    return { factorId: factor.id, factorName: factor.name, recoveryCodes, first };
  });
  if (!result) throw fieldError("code", WRONG_EMAIL_CODE);
  await resetAttempts(db, key);
  await notifyUser(actor, result.first ? "mfa-enabled" : "factor-added", { factorName: result.factorName, type: "email" });
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Login
// ---------------------------------------------------------------------------------------------------

export const sendLoginCodeSchema = z.object({
  /** "auto": only when this login has no code yet (the screen opening); "resend": a new code. */
  mode: z.enum(["auto", "resend"]).default("resend"),
});
export const emailLoginSchema = z.object({ code: emailCodeSchema });

/** Email codes can be used for this login: the organisation allows them and the user set them up. */
async function emailUsable(db: Executor, challenge: LiveChallenge) {
  return isMethodAllowed(challenge.org, "email") ? confirmedEmailFactor(db, challenge.user.id) : null;
}

/** What the 2FA screen shows about email codes for this login (read-only: rendering sends nothing). */
export async function loginEmailStatus(db: Executor, challenge: LiveChallenge) {
  const factor = await emailUsable(db, challenge);
  if (!factor) return null;
  const [latest] = await db
    .select({ id: emailCodes.id })
    .from(emailCodes)
    .where(and(scopeCondition({ purpose: "login", challengeId: challenge.challenge.id }), isNull(emailCodes.consumedAt), gt(emailCodes.expiresAt, sql`now()`)))
    .limit(1);
  return { maskedEmail: maskEmail(challenge.user.email), codeSent: !!latest };
}

/**
 * Emails a sign-in code for this login challenge. `auto` sends only if this login has no live code yet,
 * so opening the screen twice (a reload, React's double effects) sends one email. `resend` replaces the
 * code, once the 30-second cooldown has passed. Neither touches the failed-attempt budget.
 */
export async function sendLoginEmailCode(db: Db, challenge: LiveChallenge, input: z.infer<typeof sendLoginCodeSchema>): Promise<SendLoginCodeResult> {
  const { user } = challenge;
  const maskedEmail = maskEmail(user.email);
  if (challenge.challenge.completedAt) throw new AppError("conflict", "This sign-in has already been completed. Please sign in again.");
  const locked = await retryAfter(db, keys.mfa(user.id));
  if (locked > 0) throw new AppError("rate_limited", LOCKED_MESSAGE(locked));
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
    if (input.mode === "auto") {
      const [existing] = await tx
        .select({ id: emailCodes.id })
        .from(emailCodes)
        .where(and(scopeCondition(scope), isNull(emailCodes.consumedAt), gt(emailCodes.expiresAt, sql`now()`)))
        .limit(1);
      if (existing) return null;
    }
    const wait = await cooldownSeconds(tx, user.id, "login");
    if (wait > 0) throw new EmailCooldownError(wait);
    return insertCode(tx, user.id, scope, code);
  });
  if (!reserved) return { sent: false, maskedEmail };
  const email = loginCodeEmail({ orgName: challenge.org.name, userName: user.name, code, minutesValid: EMAIL_CODE_MINUTES });
  await deliver(db, reserved, scope, user.email, email);
  return { sent: true, maskedEmail };
}

/**
 * Checks an emailed code. The attempt is counted first in the budget shared with TOTP and recovery
 * codes; the code is used with one conditional UPDATE inside the transaction that completes the login.
 */
export async function verifyEmailLogin(db: Db, challenge: LiveChallenge, input: z.infer<typeof emailLoginSchema>, meta: RequestMeta) {
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  const scope: Scope = { purpose: "login", challengeId: challenge.challenge.id };
  const factor = await emailUsable(db, challenge);
  const done = factor
    ? await completeWithFactor(db, challenge, "email", meta, async (tx) => {
        const [used] = await tx
          .update(emailCodes)
          .set({ consumedAt: sql`now()` })
          .where(
            and(
              scopeCondition(scope),
              eq(emailCodes.userId, challenge.user.id),
              eq(emailCodes.codeHash, codeHash(scope, input.code)),
              isNull(emailCodes.consumedAt),
              gt(emailCodes.expiresAt, sql`now()`),
            ),
          )
          .returning({ id: emailCodes.id });
        if (!used) return null;
        await tx.update(mfaFactors).set({ lastUsedAt: sql`now()` }).where(eq(mfaFactors.id, factor.id));
        return { factor: factor.name };
      })
    : null;
  if (done) return { method: "email" as const };
  await recordSecondFactorFailure(db, challenge, "email", attempt, meta);
  throw fieldError("code", WRONG_EMAIL_CODE);
}
