/**
 * Temporary access codes (S37, S40): what an admin reads out to a member who lost their second factor.
 *
 * A code is 12 characters from a 30-character alphabet without look-alikes (Crockford's Base32 without
 * 0, 1, I, L, O, U: nothing to confuse over the phone), drawn with the CSPRNG (randomInt rejects biased
 * values): 12 × log2(30) ≈ 59 bits, against at most 10 guesses per 15 minutes from the shared 2FA budget.
 * Shown once, grouped as XXXX-XXXX-XXXX; typed back with any case, spaces or dashes. Only its keyed hash
 * (HMAC under the "temp-access-code" key derived from ENCRYPTION_KEY) is stored.
 *
 * Ends once (`ended_at`, set with `… WHERE ended_at IS NULL`): used, revoked (by an admin, replaced by a
 * newer code, or the organisation turned codes off) or expired. Nothing runs on a timer, so an expired
 * code is recorded (`ended_at = expires_at`, one `mfa.temp_code.expired` audit row by the system) the
 * first time something looks at it: a login with a temporary code, the member page, issuing a new
 * code, the audit page, or a policy change. The audit row's time is when it was noticed; its detail
 * carries the expiry time.
 */
import { randomInt } from "node:crypto";
import { and, eq, isNull, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { keyedHash } from "@/lib/crypto";
import type { Executor } from "@/lib/db/client";
import { tempAccessCodes } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";

export const TEMP_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
export const TEMP_CODE_LENGTH = 12;
export const TEMP_CODE_MAX_HOURS = 24;

export function newTempCode() {
  return Array.from({ length: TEMP_CODE_LENGTH }, () => TEMP_CODE_ALPHABET[randomInt(0, TEMP_CODE_ALPHABET.length)]).join("");
}

/** Case, spaces and dashes do not matter when typing a code back. */
export function normaliseTempCode(input: string) {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

/** "ABCD-EFGH-JKMN": groups of four, for reading out. */
export function formatTempCode(code: string) {
  return normaliseTempCode(code).replace(/(.{4})(?!$)/g, "$1-");
}

/** What is stored for a code (S37): never the code, never its plain SHA-256. */
export function tempCodeHash(code: string) {
  return keyedHash("temp-access-code", normaliseTempCode(code));
}

const CODE_PATTERN = new RegExp(`^[${TEMP_CODE_ALPHABET}]{${TEMP_CODE_LENGTH}}$`);
export const TEMP_CODE_FORMAT_MESSAGE = `Enter the ${TEMP_CODE_LENGTH}-character code your administrator gave you (letters and digits, like ABCD-EFGH-JKMN).`;

/** The code as typed at login: a wrong shape is refused before anything is counted or looked up. */
export const tempCodeSchema = z
  .string({ error: TEMP_CODE_FORMAT_MESSAGE })
  .max(64, TEMP_CODE_FORMAT_MESSAGE)
  .transform(normaliseTempCode)
  .pipe(z.string().regex(CODE_PATTERN, TEMP_CODE_FORMAT_MESSAGE));

/** Validity in whole hours, 1 to 24 (the organisation's own maximum is checked by the use case). */
export const tempCodeHours = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v),
  z
    .number({ error: "Choose how many hours the code is valid (1 to 24)." })
    .int("Choose a whole number of hours.")
    .min(1, "Choose at least 1 hour.")
    .max(TEMP_CODE_MAX_HOURS, `Choose at most ${TEMP_CODE_MAX_HOURS} hours.`),
);

/** Live: not ended and not past its expiry. */
export const liveTempCode = () => and(isNull(tempAccessCodes.endedAt), sql`${tempAccessCodes.expiresAt} > now()`);

/**
 * Records, once, the codes in `scope` that expired unused (see the top of this file). Run it inside a
 * transaction: the UPDATE and its audit rows commit together, and the `ended_at IS NULL` condition
 * means two concurrent callers record each code once.
 */
export async function recordExpiredTempCodes(tx: Executor, scope: { userId: string } | { orgId: string }) {
  const where: SQL = "userId" in scope ? eq(tempAccessCodes.userId, scope.userId) : eq(tempAccessCodes.orgId, scope.orgId);
  const expired = await tx
    .update(tempAccessCodes)
    .set({ endedAt: sql`${tempAccessCodes.expiresAt}`, endReason: "expired" })
    .where(and(where, isNull(tempAccessCodes.endedAt), lte(tempAccessCodes.expiresAt, sql`now()`)))
    .returning({
      id: tempAccessCodes.id,
      userId: tempAccessCodes.userId,
      orgId: tempAccessCodes.orgId,
      expiresAt: tempAccessCodes.expiresAt,
    });
  for (const code of expired) {
    await audit(tx, {
      orgId: code.orgId,
      event: "mfa.temp_code.expired",
      actorType: "system",
      targetUserId: code.userId,
      detail: { codeId: code.id, expiredAt: code.expiresAt.toISOString() },
    });
  }
  return expired.length;
}

/** Why an admin-side action ended live codes (audit detail `cause`). */
export type RevokeCause = "revoked_by_admin" | "replaced" | "turned_off" | "deactivated";

/**
 * Ends the live codes matching `where` as revoked, in the caller's transaction, with one
 * `admin.temp_code.revoked` audit row each. Returns the ended codes.
 */
export async function revokeTempCodes(
  tx: Executor,
  where: SQL | undefined,
  entry: { actorUserId: string | null; actorType?: "user" | "operator"; cause: RevokeCause; meta?: RequestMeta },
) {
  const ended = await tx
    .update(tempAccessCodes)
    .set({ endedAt: sql`now()`, endReason: "revoked" })
    .where(and(where, liveTempCode()))
    .returning({ id: tempAccessCodes.id, userId: tempAccessCodes.userId, orgId: tempAccessCodes.orgId });
  for (const code of ended) {
    await audit(tx, {
      orgId: code.orgId,
      event: "admin.temp_code.revoked",
      actorUserId: entry.actorUserId,
      actorType: entry.actorType ?? "user",
      targetUserId: code.userId,
      detail: { codeId: code.id, cause: entry.cause },
      meta: entry.meta,
    });
  }
  return ended;
}

/**
 * S38, lowering the longest validity: live codes of the organisation end no later than `hours` after
 * they were issued. Returns how many were shortened (one that is then past its end is expired, and is
 * recorded so by the next recordExpiredTempCodes).
 */
export async function shortenTempCodes(tx: Executor, orgId: string, hours: number) {
  const limit = sql`${tempAccessCodes.createdAt} + make_interval(hours => ${hours})`;
  const rows = await tx
    .update(tempAccessCodes)
    .set({ expiresAt: sql`LEAST(${tempAccessCodes.expiresAt}, ${limit})` })
    .where(and(eq(tempAccessCodes.orgId, orgId), liveTempCode(), sql`${tempAccessCodes.expiresAt} > ${limit}`))
    .returning({ id: tempAccessCodes.id });
  return rows.length;
}
