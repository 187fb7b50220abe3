/**
 * Recovery codes: ten per user, 64 random bits each (16 hex digits, shown as xxxx-xxxx-xxxx-xxxx),
 * shown once and stored only as keyed hashes (HMAC-SHA-256 under a key derived from ENCRYPTION_KEY,
 * `hmac1:` prefix, S37): a copy of the database alone cannot be used to test a code. Using one is a
 * single atomic UPDATE, so two concurrent uses of the same code give one success.
 *
 * Rows written before keyed hashes (plain SHA-256, no prefix) still work, each once: 64 random bits
 * cannot be found from their SHA-256 by trying values (unlike six digits), and refusing them would lock
 * out exactly the people who need them (lost phone). They go away when the user regenerates the set,
 * turns 2FA off or has it reset; every new set is keyed.
 */
import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { keyedHash, sha256 } from "@/lib/crypto";
import type { Executor } from "@/lib/db/client";
import { recoveryCodes } from "@/lib/db/schema";

export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_LOW_WATERMARK = 3;

export function newRecoveryCode() {
  return randomBytes(8)
    .toString("hex")
    .replace(/(.{4})(?!$)/g, "$1-");
}

/** Case, spaces and dashes do not matter when typing a code back. */
export function normaliseRecoveryCode(input: string) {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

/** What is stored for a (normalised) recovery code. */
export function recoveryCodeHash(code: string) {
  return keyedHash("recovery-code", normaliseRecoveryCode(code));
}

/** Replaces the user's whole set: the old codes stop working in the same transaction. */
export async function replaceRecoveryCodes(db: Executor, userId: string) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: recoveryCodeHash(c) })));
  return codes;
}

/** Marks a code used; true only for the one caller that used an unused code (keyed row, or a legacy SHA-256 row). */
export async function consumeRecoveryCode(db: Executor, userId: string, input: string) {
  const code = normaliseRecoveryCode(input);
  if (!/^[0-9a-f]{16}$/.test(code)) return false;
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        inArray(recoveryCodes.codeHash, [recoveryCodeHash(code), sha256(code)]),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return rows.length === 1;
}
