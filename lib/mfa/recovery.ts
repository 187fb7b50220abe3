/**
 * Recovery codes: ten per user, 64 random bits each (16 hex digits, shown as xxxx-xxxx-xxxx-xxxx),
 * shown once and stored only as SHA-256 hashes (high-entropy codes need no slow hash). Using one is a
 * single atomic UPDATE, so two concurrent uses of the same code give one success.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { sha256 } from "@/lib/crypto";
import type { Executor } from "@/lib/db/client";
import { recoveryCodes } from "@/lib/db/schema";

export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_LOW_WATERMARK = 3;

export function newRecoveryCode() {
  return randomBytes(8).toString("hex").replace(/(.{4})(?!$)/g, "$1-");
}

/** Case, spaces and dashes do not matter when typing a code back. */
export function normaliseRecoveryCode(input: string) {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

/** Replaces the user's whole set: the old codes stop working in the same transaction. */
export async function replaceRecoveryCodes(db: Executor, userId: string) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: sha256(normaliseRecoveryCode(c)) })));
  return codes;
}

/** Marks a code used; true only for the one caller that used an unused code. */
export async function consumeRecoveryCode(db: Executor, userId: string, input: string) {
  const code = normaliseRecoveryCode(input);
  if (!/^[0-9a-f]{16}$/.test(code)) return false;
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, sha256(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length === 1;
}
