/**
 * Email as a second factor (S18, S19): enrolment of the account's own address. Codes (keyed hash,
 * cooldown, sending, consuming) live in email-codes.ts; login codes in email-login.ts.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { minutesText, reserveAttempt, resetAttempts, type Limit } from "@/lib/attempts";
import { randomDigits } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { emailCodes, mfaFactors } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { enrolCodeEmail } from "@/lib/mail/templates";
import type { RequestMeta } from "@/lib/request-context";
import { factorName, id } from "@/lib/validation";
import type { MfaActor } from "./actor";
import {
  EMAIL_ALREADY_SET_UP,
  EMAIL_NOT_ALLOWED,
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
import { DEFAULT_EMAIL_FACTOR_NAME, EMAIL_CODE_MINUTES, EMAIL_RESEND_COOLDOWN_SECONDS, maskEmail } from "./email-shared";
import { onFactorConfirmed } from "./factors";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";

/** Wrong codes while confirming an enrolment: limited on their own (the user is signed in, or mid-login). */
export const EMAIL_ENROL_LIMIT: Limit = { max: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
const enrolAttemptsKey = (userId: string) => `email-enrol:${userId}`;

export const startEmailEnrolmentSchema = z.object({ name: factorName.default(DEFAULT_EMAIL_FACTOR_NAME) });
export const confirmEmailEnrolmentSchema = z.object({
  factorId: id("Start the setup again."),
  code: emailCodeSchema,
});

/** Whether the user has email codes set up (confirmed), whatever the organisation currently allows. */
export async function hasEmailFactor(db: Executor, userId: string) {
  return (await confirmedEmailFactor(db, userId)) !== null;
}

/**
 * "Send verification code": creates (or reuses) the user's pending email factor and emails a code to
 * the account's address. Also the resend during enrolment (same cooldown).
 */
export async function startEmailEnrolment(db: Db, actor: MfaActor, input: z.infer<typeof startEmailEnrolmentSchema>) {
  if (!isMethodAllowed(actor.org, "email", actor.role)) throw new AppError("forbidden", EMAIL_NOT_ALLOWED);
  const code = randomDigits(6);
  const reserved = await db.transaction(async (tx) => {
    await lockUser(tx, actor.id);
    if (await confirmedEmailFactor(tx, actor.id)) throw new AppError("conflict", EMAIL_ALREADY_SET_UP);
    const wait = await cooldownSeconds(tx, actor.id, "enrol");
    if (wait > 0) throw new EmailCooldownError(wait);
    const [pending] = await tx
      .select({ id: mfaFactors.id })
      .from(mfaFactors)
      .where(
        and(
          eq(mfaFactors.userId, actor.id),
          eq(mfaFactors.orgId, actor.orgId),
          eq(mfaFactors.type, "email"),
          isNull(mfaFactors.confirmedAt),
        ),
      );
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
  if (!reserved.created)
    await db
      .update(mfaFactors)
      .set({ name: input.name })
      .where(and(eq(mfaFactors.id, reserved.factorId), isNull(mfaFactors.confirmedAt)));
  return { factorId: reserved.factorId, maskedEmail: maskEmail(actor.email), cooldownSeconds: EMAIL_RESEND_COOLDOWN_SECONDS };
}

/** The code from the enrolment email turns the factor on; the first factor comes with recovery codes. */
export async function confirmEmailEnrolment(
  db: Db,
  actor: MfaActor,
  input: z.infer<typeof confirmEmailEnrolmentSchema>,
  meta?: RequestMeta,
) {
  if (!isMethodAllowed(actor.org, "email", actor.role)) throw new AppError("forbidden", EMAIL_NOT_ALLOWED);
  const key = enrolAttemptsKey(actor.id);
  const reservation = await reserveAttempt(db, key, EMAIL_ENROL_LIMIT);
  if (!reservation.allowed) {
    throw new AppError("rate_limited", `Too many incorrect codes. Try again in ${minutesText(reservation.retryAfterSeconds)}.`);
  }
  const scope: Scope = { purpose: "enrol", factorId: input.factorId };
  const result = await db.transaction(async (tx) => {
    await lockUser(tx, actor.id);
    const used = await consumeCode(tx, actor.id, scope, input.code);
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
