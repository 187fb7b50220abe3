/**
 * Failed-attempt limits, counted in the database so every app instance shares them. Each attempt is
 * reserved with one atomic statement *before* the secret is checked, so a burst of concurrent requests
 * cannot get more tries than the limit: the row lock serialises them and each sees the new count.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import ipaddr from "ipaddr.js";
import { rowsOf, type Executor } from "@/lib/db/client";
import { attemptCounters } from "@/lib/db/schema";

export type Limit = { max: number; windowSeconds: number; lockSeconds: number };

/** Password step: per account (the email as typed, known or not, so locks reveal nothing). */
export const PASSWORD_ACCOUNT_LIMIT: Limit = { max: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/**
 * Password step from a browser that has completed a full login for this user before (device cookie,
 * lib/auth/device-cookie.ts): counted per browser, so an attacker filling the account-wide counter
 * cannot lock the real user out of a browser they have used (OWASP device cookies).
 */
export const PASSWORD_DEVICE_LIMIT: Limit = { max: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/** Password step: per client address. */
export const PASSWORD_IP_LIMIT: Limit = { max: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
/** Second factor: per account, shared by every factor and every challenge. 10 in a row, then 15 minutes. */
export const MFA_LIMIT: Limit = { max: 10, windowSeconds: 24 * 60 * 60, lockSeconds: 15 * 60 };

/**
 * "Forgot your password?" requests (each one sends an email): per email address as typed, known or not
 * (so the limit reveals nothing), and per client address. Counted before anything is looked up.
 */
export const RESET_EMAIL_LIMIT: Limit = { max: 5, windowSeconds: 60 * 60, lockSeconds: 60 * 60 };
export const RESET_IP_LIMIT: Limit = { max: 20, windowSeconds: 60 * 60, lockSeconds: 60 * 60 };

export type Reservation = { allowed: true; count: number } | { allowed: false; retryAfterSeconds: number };

/** The upsert that counts one attempt on `key` (one CTE of reserveAttempts); `source` gates it on an earlier one. */
function countAttempt(key: string, limit: Limit, source: SQL) {
  const fresh = sql`(attempt_counters.locked_until IS NOT NULL AND attempt_counters.locked_until <= now())
    OR attempt_counters.window_start <= now() - make_interval(secs => ${limit.windowSeconds})`;
  const next = sql`CASE WHEN ${fresh} THEN 1 ELSE attempt_counters.count + 1 END`;
  return sql`INSERT INTO attempt_counters (key, count, window_start, locked_until)
    SELECT ${key}, 1, now(), CASE WHEN ${limit.max} <= 1 THEN now() + make_interval(secs => ${limit.lockSeconds}) END ${source}
    ON CONFLICT (key) DO UPDATE SET
      count = ${next},
      window_start = CASE WHEN ${fresh} THEN now() ELSE attempt_counters.window_start END,
      locked_until = CASE WHEN ${next} >= ${limit.max} THEN now() + make_interval(secs => ${limit.lockSeconds}) ELSE NULL END
    -- A key that is locked right now is left untouched: the attempt is refused.
    WHERE attempt_counters.locked_until IS NULL OR attempt_counters.locked_until <= now() OR attempt_counters.count < ${limit.max}
    RETURNING count`;
}

/**
 * Counts one attempt on each key, in order and in one statement: a key is counted only when every key
 * before it allowed the attempt (the per-address limit first, so a locked address spends nothing else).
 * Allowed while each count stays within its `max`; the attempt that reaches `max` locks the key for
 * `lockSeconds`. A lock or window that has passed starts a new count. Refused: which key, and for how long.
 */
export async function reserveAttempts(
  db: Executor,
  reservations: readonly { key: string; limit: Limit }[],
): Promise<{ allowed: true; counts: number[] } | { allowed: false; key: string; retryAfterSeconds: number }> {
  const ctes = reservations.map(({ key, limit }, i) => {
    const source =
      i === 0 ? sql`` : sql`WHERE EXISTS (SELECT 1 FROM ${sql.raw(`r${i - 1}`)} WHERE count <= ${reservations[i - 1]!.limit.max})`;
    return sql`${sql.raw(`r${i}`)} AS (${countAttempt(key, limit, source)})`;
  });
  const columns = reservations.map((_, i) => sql`(SELECT count FROM ${sql.raw(`r${i}`)}) AS ${sql.raw(`c${i}`)}`);
  const [row] = await rowsOf<Record<string, number | null>>(db, sql`WITH ${sql.join(ctes, sql`, `)} SELECT ${sql.join(columns, sql`, `)}`);
  const counts: number[] = [];
  for (const [i, { key, limit }] of reservations.entries()) {
    const count = row?.[`c${i}`];
    if (count == null || Number(count) > limit.max) return { allowed: false, key, retryAfterSeconds: await retryAfter(db, key) };
    counts.push(Number(count));
  }
  return { allowed: true, counts };
}

/** Counts one attempt on `key` (reserveAttempts with one key). */
export async function reserveAttempt(db: Executor, key: string, limit: Limit): Promise<Reservation> {
  const result = await reserveAttempts(db, [{ key, limit }]);
  return result.allowed ? { allowed: true, count: result.counts[0]! } : { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
}

/** Seconds until the key unlocks (0 when it is not locked). */
export async function retryAfter(db: Executor, key: string): Promise<number> {
  const [row] = await db
    .select({ s: sql<number>`GREATEST(0, CEIL(EXTRACT(EPOCH FROM (${attemptCounters.lockedUntil} - now()))))::int` })
    .from(attemptCounters)
    .where(and(eq(attemptCounters.key, key), sql`${attemptCounters.lockedUntil} > now()`));
  return row ? Number(row.s) : 0;
}

/** Whether the key is locked now, without counting an attempt. */
export async function isLocked(db: Executor, key: string) {
  return (await retryAfter(db, key)) > 0;
}

/** A success resets the count (and an admin's "unlock" uses this too). */
export async function resetAttempts(db: Executor, key: string) {
  await db.delete(attemptCounters).where(eq(attemptCounters.key, key));
}

export function minutesText(seconds: number) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * The part of a client address a per-address limit counts: an IPv4 address whole, an IPv6 address by
 * its /64 (one subscriber's network; anyone holding a /64 could otherwise rotate through 2^64 addresses).
 */
export function addressKey(ip: string) {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() !== "ipv6") return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(":")}::/64`;
}

export const keys = {
  passwordAccount: (email: string) => `pw-account:${email.trim().toLowerCase()}`,
  /** One known browser of a user; every key of the user's browsers starts with passwordDevicePrefix. */
  passwordDevice: (userId: string, nonce: string) => `pw-device:${userId}:${nonce}`,
  passwordDevicePrefix: (userId: string) => `pw-device:${userId}:`,
  passwordIp: (ip: string) => `pw-ip:${addressKey(ip)}`,
  mfa: (userId: string) => `mfa:${userId}`,
  /** Re-entering the password while signed in (lib/users/profile.ts confirmPassword). */
  reauth: (userId: string) => `reauth:${userId}`,
  signupIp: (ip: string) => `signup-ip:${addressKey(ip)}`,
  signupEmail: (email: string) => `signup-email:${email.trim().toLowerCase()}`,
  inviteOrg: (orgId: string) => `invite-org:${orgId}`,
  /** Password-reset requests (lib/auth/forgot-password.ts). */
  resetEmail: (email: string) => `reset-email:${email.trim().toLowerCase()}`,
  resetIp: (ip: string) => `reset-ip:${addressKey(ip)}`,
};

/** Gives back a reserved attempt that turned out to succeed (for counters that only count failures). */
export async function releaseAttempt(db: Executor, key: string) {
  await db
    .update(attemptCounters)
    .set({ count: sql`GREATEST(0, ${attemptCounters.count} - 1)` })
    .where(and(eq(attemptCounters.key, key), sql`${attemptCounters.lockedUntil} IS NULL`));
}
