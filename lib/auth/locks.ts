/**
 * Every attempt-limit lock that can keep one user out, read and cleared together: the admin member
 * page and "Unlock" (lib/admin/member-actions.ts), and `npm run admin -- unlock <email>`.
 *   password: the account-wide password counter (browsers without this user's device cookie);
 *   device:   the password counter of one of their known browsers (pw-device:<userId>:<nonce>);
 *   mfa:      the second-factor counter; reauth: re-entering the password while signed in.
 * The per-address counter is not the user's: it stays.
 */
import { and, gt, inArray, like, or, sql } from "drizzle-orm";
import { keys } from "@/lib/attempts";
import type { Executor } from "@/lib/db/client";
import { attemptCounters } from "@/lib/db/schema";

export const LOCK_KINDS = ["password", "device", "mfa", "reauth"] as const;
export type LockKind = (typeof LOCK_KINDS)[number];

/** For admins, in the order of LOCK_KINDS. */
export const LOCK_LABEL: Record<LockKind, string> = {
  password: "password sign-in from new browsers",
  device: "password sign-in from a browser they used before",
  mfa: "the second step (too many wrong codes)",
  reauth: "confirming their password while signed in",
};

/**
 * `passwordHash` null: invited, never signed in. The account-wide password counter is keyed on the typed
 * address, which anyone can spend; for a member who cannot sign in yet it says nothing about them, and
 * showing it would tell an admin whether that address has an account elsewhere (S39).
 */
type LockUser = { id: string; email: string; passwordHash?: string | null };

function kindOf(key: string, user: LockUser): LockKind | null {
  if (key === keys.passwordAccount(user.email)) return user.passwordHash === null ? null : "password";
  if (key.startsWith(keys.passwordDevicePrefix(user.id))) return "device";
  if (key === keys.mfa(user.id)) return "mfa";
  if (key === keys.reauth(user.id)) return "reauth";
  return null;
}

const sortKinds = (kinds: Set<LockKind>) => LOCK_KINDS.filter((k) => kinds.has(k));

/** Which locks are in force right now, per user id (users without a lock are absent). */
export async function activeLocks(db: Executor, list: LockUser[]): Promise<Map<string, LockKind[]>> {
  const result = new Map<string, LockKind[]>();
  if (list.length === 0) return result;
  const ids = list.map((u) => u.id);
  const exact = list.flatMap((u) => [keys.passwordAccount(u.email), keys.mfa(u.id), keys.reauth(u.id)]);
  const rows = await db
    .select({ key: attemptCounters.key })
    .from(attemptCounters)
    .where(
      and(
        gt(attemptCounters.lockedUntil, sql`now()`),
        or(
          inArray(attemptCounters.key, exact),
          and(like(attemptCounters.key, "pw-device:%"), inArray(sql`split_part(${attemptCounters.key}, ':', 2)`, ids)),
        ),
      ),
    );
  for (const user of list) {
    const kinds = new Set(rows.map((r) => kindOf(r.key, user)).filter((k): k is LockKind => k !== null));
    if (kinds.size > 0) result.set(user.id, sortKinds(kinds));
  }
  return result;
}

/**
 * Removes every counter of the user (locked or still counting), in the caller's transaction; returns
 * which locks were in force, and how many browser locks.
 */
export async function clearLocks(tx: Executor, user: LockUser) {
  const before = await tx
    .select({
      key: attemptCounters.key,
      locked: sql<boolean>`${attemptCounters.lockedUntil} IS NOT NULL AND ${attemptCounters.lockedUntil} > now()`,
    })
    .from(attemptCounters)
    .where(
      or(
        inArray(attemptCounters.key, [keys.passwordAccount(user.email), keys.mfa(user.id), keys.reauth(user.id)]),
        sql`starts_with(${attemptCounters.key}, ${keys.passwordDevicePrefix(user.id)})`,
      ),
    )
    .for("update");
  if (before.length > 0)
    await tx.delete(attemptCounters).where(
      inArray(
        attemptCounters.key,
        before.map((r) => r.key),
      ),
    );
  const locked = before.filter((r) => r.locked);
  const kinds = new Set(locked.map((r) => kindOf(r.key, user)).filter((k): k is LockKind => k !== null));
  return { cleared: sortKinds(kinds), lockedBrowsers: locked.filter((r) => kindOf(r.key, user) === "device").length };
}

/** "password sign-in from new browsers and the second step …": for the admin page and the operator. */
export function describeLocks(kinds: readonly LockKind[]) {
  const parts = kinds.map((k) => LOCK_LABEL[k]);
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
