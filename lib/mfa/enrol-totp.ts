/**
 * Enrolling an authenticator app. Starting creates a pending factor (its secret encrypted at rest);
 * it becomes active only when a valid code from the app confirms it. The first factor comes with ten
 * recovery codes, returned once.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { decrypt, encrypt } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { mfaFactors } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { factorName, id, sixDigitCode } from "@/lib/validation";
import type { MfaActor } from "./actor";
import { onFactorConfirmed } from "./factors";
import { notifyUser } from "./notify";
import { isMethodAllowed } from "./policy";
import { checkTotp, formatSecret, issuerFor, newTotpSecret, otpauthUri } from "./totp";

const PENDING_TTL_MINUTES = 60;

export const confirmTotpSchema = z.object({
  factorId: id("Start the setup again."),
  name: factorName.default("Authenticator app"),
  code: sixDigitCode("from your app"),
});

export async function startTotpEnrolment(db: Db, actor: MfaActor) {
  if (!isMethodAllowed(actor.org, "totp", actor.role)) {
    throw new AppError("forbidden", "Your organisation does not allow authenticator apps.");
  }
  const secret = newTotpSecret();
  const factorId = await db.transaction(async (tx) => {
    // Only one pending set-up at a time: a new start replaces an unfinished one.
    await tx.delete(mfaFactors).where(and(eq(mfaFactors.userId, actor.id), eq(mfaFactors.type, "totp"), isNull(mfaFactors.confirmedAt)));
    const [row] = await tx
      .insert(mfaFactors)
      .values({ userId: actor.id, orgId: actor.orgId, type: "totp", name: "Authenticator app", secretEnc: encrypt(secret) })
      .returning({ id: mfaFactors.id });
    return row!.id;
  });
  const issuer = issuerFor(actor.org.name);
  return { factorId, secret, formattedSecret: formatSecret(secret), uri: otpauthUri({ issuer, account: actor.email, secret }), issuer };
}

export async function confirmTotpEnrolment(db: Db, actor: MfaActor, input: z.infer<typeof confirmTotpSchema>, meta?: RequestMeta) {
  const [pending] = await db
    .select()
    .from(mfaFactors)
    .where(
      and(
        eq(mfaFactors.id, input.factorId),
        eq(mfaFactors.userId, actor.id),
        eq(mfaFactors.orgId, actor.orgId),
        eq(mfaFactors.type, "totp"),
        isNull(mfaFactors.confirmedAt),
        gt(mfaFactors.createdAt, sql`now() - make_interval(mins => ${PENDING_TTL_MINUTES})`),
      ),
    );
  if (!pending?.secretEnc) throw new AppError("not_found", "This set-up has expired. Start again to get a new QR code.");
  if (!isMethodAllowed(actor.org, "totp", actor.role))
    throw new AppError("forbidden", "Your organisation does not allow authenticator apps.");
  const check = await checkTotp(decrypt(pending.secretEnc), input.code);
  if (!check.valid) {
    throw fieldError(
      "code",
      "That code did not match. Enter the newest code from your app, and check that your phone's time is set automatically.",
    );
  }
  const result = await db.transaction(async (tx) => {
    const [activated] = await tx
      .update(mfaFactors)
      .set({ confirmedAt: sql`now()`, name: input.name, lastUsedStep: check.timeStep, lastUsedAt: sql`now()` })
      .where(and(eq(mfaFactors.id, pending.id), isNull(mfaFactors.confirmedAt)))
      .returning({ id: mfaFactors.id });
    if (!activated) throw new AppError("conflict", "This authenticator is already set up.");
    const { first, recoveryCodes } = await onFactorConfirmed(tx, actor, { type: "totp", name: input.name }, meta);
    return { factorId: pending.id, recoveryCodes, first };
  });
  await notifyUser(actor, result.first ? "mfa-enabled" : "factor-added", { factorName: input.name, type: "totp" });
  return result;
}
