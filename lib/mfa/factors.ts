/** Queries over a user's second factors. Only confirmed factors of a method the organisation allows count. */
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { mfaFactors, recoveryCodes } from "@/lib/db/schema";
import { allowedMethods, type PolicyOrg } from "./policy";

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

/** Confirmed factors whose method the organisation currently allows: the ones that can be used at login. */
export async function usableFactors(db: Executor, userId: string, org: PolicyOrg) {
  const allowed = allowedMethods(org);
  return (await listFactors(db, userId)).filter((f) => allowed.includes(f.type));
}

export async function remainingRecoveryCodes(db: Executor, userId: string) {
  const rows = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
