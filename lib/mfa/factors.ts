/** Queries over a user's second factors. Only confirmed factors of a method the organisation allows count. */
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { audit } from "@/lib/audit";
import type { Executor } from "@/lib/db/client";
import { mfaFactors, recoveryCodes, users, type FactorType, type Role } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";
import { allowedMethods, type MethodSettings } from "./policy";
import { replaceRecoveryCodes } from "./recovery";

export async function listFactors(db: Executor, userId: string) {
  return db
    .select({
      id: mfaFactors.id,
      type: mfaFactors.type,
      name: mfaFactors.name,
      createdAt: mfaFactors.createdAt,
      lastUsedAt: mfaFactors.lastUsedAt,
    })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), isNotNull(mfaFactors.confirmedAt)))
    .orderBy(asc(mfaFactors.createdAt));
}

/**
 * Confirmed factors whose method the organisation currently allows for the user's role: the ones that
 * can be used at login, and the only ones that make "2FA on" anywhere (policy, members, guardrails).
 */
export async function usableFactors(db: Executor, user: { id: string; role: Role }, org: MethodSettings) {
  const allowed = allowedMethods(org, user.role);
  return (await listFactors(db, user.id)).filter((f) => allowed.includes(f.type));
}

export async function remainingRecoveryCodes(db: Executor, userId: string) {
  const rows = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}

/**
 * Inside the transaction that confirmed a factor: the first confirmed factor of the user gets a fresh
 * set of recovery codes (returned once), and the addition is audited. Shared by every factor type.
 */
export async function onFactorConfirmed(
  tx: Executor,
  actor: { id: string; orgId: string },
  factor: { type: FactorType; name: string },
  meta?: RequestMeta,
) {
  const confirmed = await tx
    .select({ id: mfaFactors.id })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, actor.id), isNotNull(mfaFactors.confirmedAt)));
  const first = confirmed.length === 1;
  // Enrolled again after "Require everyone to set up 2FA again": the no-grace requirement is met.
  await tx
    .update(users)
    .set({ mfaResetAt: null })
    .where(and(eq(users.id, actor.id), isNotNull(users.mfaResetAt)));
  const recoveryCodes = first ? await replaceRecoveryCodes(tx, actor.id) : null;
  await audit(tx, {
    orgId: actor.orgId,
    event: "mfa.factor.added",
    actorUserId: actor.id,
    targetUserId: actor.id,
    detail: { type: factor.type, name: factor.name, first },
    meta,
  });
  return { first, recoveryCodes };
}
