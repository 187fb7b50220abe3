/**
 * Email codes (S18, S37), the parts shared by enrolment (email-factor.ts) and login (email-login.ts).
 *
 * Codes are six digits from the CSPRNG, valid 10 minutes, single-use, bound to one login challenge (or
 * one pending enrolment) and stored only as a keyed hash (HMAC, S37) that also covers what they are bound to.
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
import { keyedHash } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { emailCodes, mfaFactors, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import type { Email } from "@/lib/mail/templates";
import { sixDigitCode } from "@/lib/validation";
import { EMAIL_CODE_TTL_SECONDS, EMAIL_RESEND_COOLDOWN_SECONDS } from "./email-shared";

export const EMAIL_NOT_ALLOWED = "Your organisation does not allow email codes.";
export const WRONG_EMAIL_CODE = "That code is not valid or has expired. Use the code from the newest email, or ask for a new one.";
export const EMAIL_NOT_SET_UP = "Email codes are not set up for this account.";
export const EMAIL_ALREADY_SET_UP = "Email codes are already set up for your account.";
export const cooldownMessage = (seconds: number) =>
  `A code was sent moments ago: use it, or ask for a new one in ${seconds} second${seconds === 1 ? "" : "s"}.`;

/** Refused because a code was sent less than 30 seconds ago; carries the seconds left. */
export class EmailCooldownError extends AppError {
  constructor(seconds: number) {
    super("rate_limited", cooldownMessage(seconds));
    this.name = "EmailCooldownError";
    this.retryAfterSeconds = seconds;
  }
}

export type Purpose = "login" | "enrol";
export type Scope = { purpose: "login"; challengeId: string } | { purpose: "enrol"; factorId: string };

/**
 * The stored value: a keyed hash (HMAC under a key derived from ENCRYPTION_KEY, S37), so a copy of the
 * database cannot be searched for the code; it covers what the code is bound to, so it is meaningless
 * for any other login. Codes stored before (plain SHA-256) simply stop matching: they lived 10 minutes.
 */
export function emailCodeHash(scope: Scope, typed: string) {
  const code = typed.replace(/[\s-]/g, "");
  return keyedHash("email-code", scope.purpose === "login" ? `login:${scope.challengeId}:${code}` : `enrol:${scope.factorId}:${code}`);
}

export function scopeCondition(scope: Scope) {
  return scope.purpose === "login"
    ? and(eq(emailCodes.purpose, "login"), eq(emailCodes.challengeId, scope.challengeId))
    : and(eq(emailCodes.purpose, "enrol"), eq(emailCodes.factorId, scope.factorId));
}

/** Serialises sends for one user (cooldown check + insert), whatever login or enrolment they are for. */
export async function lockUser(tx: Executor, userId: string) {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
}

/** Seconds until this user may be sent another code for `purpose` (0: now). Unused codes only count. */
export async function cooldownSeconds(tx: Executor, userId: string, purpose: Purpose) {
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

export async function insertCode(tx: Executor, userId: string, scope: Scope, code: string) {
  const [row] = await tx
    .insert(emailCodes)
    .values({
      userId,
      purpose: scope.purpose,
      challengeId: scope.purpose === "login" ? scope.challengeId : null,
      factorId: scope.purpose === "enrol" ? scope.factorId : null,
      codeHash: emailCodeHash(scope, code),
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
export async function deliver(
  db: Db,
  row: { id: string; sentAt: Date },
  scope: Scope,
  to: string,
  email: Email,
  undo?: (tx: Executor) => Promise<void>,
) {
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

export const emailCodeSchema = sixDigitCode("from the email");

export async function confirmedEmailFactor(db: Executor, userId: string) {
  const [row] = await db
    .select({ id: mfaFactors.id, name: mfaFactors.name })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.type, "email"), isNotNull(mfaFactors.confirmedAt)));
  return row ?? null;
}

/**
 * Uses up a live code of this scope and user: one conditional UPDATE, so two concurrent submissions of
 * the same code get one success. Returns the used row, or null for a wrong, used or expired code.
 */
export async function consumeCode(tx: Executor, userId: string, scope: Scope, typed: string) {
  const [used] = await tx
    .update(emailCodes)
    .set({ consumedAt: sql`now()` })
    .where(
      and(
        scopeCondition(scope),
        eq(emailCodes.userId, userId),
        eq(emailCodes.codeHash, emailCodeHash(scope, typed)),
        isNull(emailCodes.consumedAt),
        gt(emailCodes.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: emailCodes.id });
  return used ?? null;
}
