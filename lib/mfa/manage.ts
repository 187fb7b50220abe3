/**
 * Changing one's own 2FA: rename or remove a factor, regenerate recovery codes, turn 2FA off. Every
 * sensitive change needs the current password; removing a factor or turning 2FA off ends the user's
 * other sessions and remembered devices. Refused when 2FA is required for the user and the change
 * would leave them without a usable factor.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { alertAdmins } from "@/lib/alerts/admin-alerts";
import { audit, auditWithId } from "@/lib/audit";
import { revokeAccess } from "@/lib/auth/sessions";
import type { Db, Executor } from "@/lib/db/client";
import { mfaFactors, recoveryCodes } from "@/lib/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { confirmPassword } from "@/lib/users/profile";
import { currentPassword, factorName, id } from "@/lib/validation";
import type { MfaActor } from "./actor";
import { usableFactors } from "./factors";
import { notifyUser } from "./notify";
import { mfaRequirement } from "./policy";
import { replaceRecoveryCodes } from "./recovery";

export const REQUIRED_BY_ADMIN_MESSAGE =
  "Your administrator requires two-factor authentication for your account. Contact them if you need to change this.";

export const renameFactorSchema = z.object({ factorId: id("Unknown authenticator."), name: factorName });
export const removeFactorSchema = z.object({ factorId: id("Unknown authenticator."), password: currentPassword() });
export const passwordOnlySchema = z.object({ password: currentPassword() });

async function ownFactor(db: Executor, actor: MfaActor, factorId: string) {
  const [factor] = await db
    .select()
    .from(mfaFactors)
    .where(
      and(
        eq(mfaFactors.id, factorId),
        eq(mfaFactors.userId, actor.id),
        eq(mfaFactors.orgId, actor.orgId),
        isNotNull(mfaFactors.confirmedAt),
      ),
    );
  if (!factor) throw notFound("That authenticator");
  return factor;
}

/** Issue #17: the organisation's admins are told when a member ends up without 2FA. */
async function alertMfaOff(db: Db, actor: MfaActor, ref: number, how: string, meta?: RequestMeta) {
  await alertAdmins(db, { kind: "mfa-off", orgId: actor.orgId, member: actor, ref, detail: { how, ip: meta?.ip } });
}

async function endOtherAccess(tx: Executor, actor: MfaActor) {
  await revokeAccess(tx, actor.id, { keepSessionId: actor.sessionId });
}

export async function renameFactor(db: Db, actor: MfaActor, input: z.infer<typeof renameFactorSchema>, meta?: RequestMeta) {
  await db.transaction(async (tx) => {
    const factor = await ownFactor(tx, actor, input.factorId);
    await tx.update(mfaFactors).set({ name: input.name }).where(eq(mfaFactors.id, factor.id));
    await audit(tx, {
      orgId: actor.orgId,
      event: "mfa.factor.renamed",
      actorUserId: actor.id,
      targetUserId: actor.id,
      detail: { from: factor.name, to: input.name, type: factor.type },
      meta,
    });
  });
}

export async function removeFactor(db: Db, actor: MfaActor, input: z.infer<typeof removeFactorSchema>, meta?: RequestMeta) {
  await confirmPassword(db, actor, input.password);
  const result = await db.transaction(async (tx) => {
    const factor = await ownFactor(tx, actor, input.factorId);
    const remaining = (await usableFactors(tx, actor, actor.org)).filter((f) => f.id !== factor.id);
    if (remaining.length === 0 && mfaRequirement(actor.org, actor).required) {
      throw new AppError("forbidden", REQUIRED_BY_ADMIN_MESSAGE);
    }
    await tx.delete(mfaFactors).where(eq(mfaFactors.id, factor.id));
    const anyLeft =
      (
        await tx
          .select({ id: mfaFactors.id })
          .from(mfaFactors)
          .where(and(eq(mfaFactors.userId, actor.id), isNotNull(mfaFactors.confirmedAt)))
      ).length > 0;
    // The last factor gone means 2FA is off: recovery codes go with it.
    if (!anyLeft) await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, actor.id));
    await endOtherAccess(tx, actor);
    const ref = await auditWithId(tx, {
      orgId: actor.orgId,
      event: anyLeft ? "mfa.factor.removed" : "mfa.disabled",
      actorUserId: actor.id,
      targetUserId: actor.id,
      detail: { type: factor.type, name: factor.name },
      meta,
    });
    return { factorName: factor.name, mfaOff: !anyLeft, ref };
  });
  await notifyUser(actor, result.mfaOff ? "mfa-disabled" : "factor-removed", { factorName: result.factorName });
  if (result.mfaOff) await alertMfaOff(db, actor, result.ref, "last-factor-removed", meta);
  return { factorName: result.factorName, mfaOff: result.mfaOff };
}

export async function disableMfa(db: Db, actor: MfaActor, input: z.infer<typeof passwordOnlySchema>, meta?: RequestMeta) {
  await confirmPassword(db, actor, input.password);
  if (mfaRequirement(actor.org, actor).required) throw new AppError("forbidden", REQUIRED_BY_ADMIN_MESSAGE);
  const ref = await db.transaction(async (tx) => {
    await tx.delete(mfaFactors).where(eq(mfaFactors.userId, actor.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, actor.id));
    await endOtherAccess(tx, actor);
    return auditWithId(tx, { orgId: actor.orgId, event: "mfa.disabled", actorUserId: actor.id, targetUserId: actor.id, meta });
  });
  await notifyUser(actor, "mfa-disabled");
  await alertMfaOff(db, actor, ref, "turned-off", meta);
}

export async function regenerateRecoveryCodes(db: Db, actor: MfaActor, input: z.infer<typeof passwordOnlySchema>, meta?: RequestMeta) {
  await confirmPassword(db, actor, input.password);
  const codes = await db.transaction(async (tx) => {
    const factors = await tx
      .select({ id: mfaFactors.id })
      .from(mfaFactors)
      .where(and(eq(mfaFactors.userId, actor.id), isNotNull(mfaFactors.confirmedAt)));
    if (factors.length === 0) throw new AppError("bad_request", "Turn on two-factor authentication first.");
    const fresh = await replaceRecoveryCodes(tx, actor.id);
    await audit(tx, { orgId: actor.orgId, event: "mfa.recovery.generated", actorUserId: actor.id, targetUserId: actor.id, meta });
    return fresh;
  });
  await notifyUser(actor, "recovery-regenerated");
  return codes;
}
