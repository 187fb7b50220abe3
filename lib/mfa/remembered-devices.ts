/**
 * "Don't ask again on this browser for N days". The browser keeps a random token (httpOnly cookie);
 * the database keeps its SHA-256, the user, the expiry, the browser and last use. A remembered browser
 * skips only the second factor, never the password, and only while the organisation allows it
 * (remember-device days > 0). Changing the password, removing a factor and an admin's "Remove 2FA"
 * delete every remembered device of the user. Lowering the organisation's setting (or turning a
 * method off) ends, for good, the remembered devices the new setting would not allow (S38). The row is
 * written by the 2FA step's own statement (lib/auth/session-sql.ts, `remember`); this module reads,
 * lists and forgets them, and sends the owner's email.
 */
import { and, asc, eq, gt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { sha256 } from "@/lib/crypto";
import type { Executor } from "@/lib/db/client";
import { rememberedDevices } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { describeUserAgent } from "@/lib/user-agent";
import { id } from "@/lib/validation";
import type { MfaActor } from "./actor";
import { notifyUser } from "./notify";

export const REMEMBER_COOKIE = "remembered_device";

/** The owner's email about a browser that will not be asked for the second factor until `expiresAt`. */
export async function notifyRemembered(user: { email: string; name: string; org: { name: string } }, expiresAt: Date, meta: RequestMeta) {
  await notifyUser(user, "device-remembered", {
    device: describeUserAgent(meta.userAgent).text,
    until: expiresAt.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
  });
}

/**
 * True when `token` is a live remembered device of this user, also bounded by the organisation's
 * current setting (shortening it, or setting 0, takes effect at once). Records the use.
 */
export async function isRememberedDevice(
  db: Executor,
  user: { id: string; org: { rememberDeviceDays: number } },
  token: string | null | undefined,
) {
  const days = user.org.rememberDeviceDays;
  if (!token || token.length > 200 || !(days > 0)) return false;
  const rows = await db
    .update(rememberedDevices)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(rememberedDevices.tokenHash, sha256(token)), eq(rememberedDevices.userId, user.id), liveRememberedDevice(days)))
    .returning({ id: rememberedDevices.id });
  return rows.length === 1;
}

/**
 * The one rule for a remembered browser that still skips the second factor: not expired, and younger than
 * the organisation's current setting (`days`: a number, or the column when the organisation is joined in,
 * as the password step's lookup does in lib/auth/login.ts).
 */
export function liveRememberedDevice(days: number | SQL) {
  return sql`${rememberedDevices.expiresAt} > now() AND ${rememberedDevices.createdAt} > now() - make_interval(days => ${days})`;
}

/**
 * The user's live remembered browsers, oldest first. `currentToken` (this browser's cookie, if any)
 * marks the row of the browser asking (`current`); only hashes are compared.
 */
export async function listRememberedDevices(db: Executor, userId: string, currentToken?: string | null) {
  const rows = await db
    .select({
      id: rememberedDevices.id,
      tokenHash: rememberedDevices.tokenHash,
      userAgent: rememberedDevices.userAgent,
      ip: rememberedDevices.ip,
      createdAt: rememberedDevices.createdAt,
      expiresAt: rememberedDevices.expiresAt,
      lastUsedAt: rememberedDevices.lastUsedAt,
    })
    .from(rememberedDevices)
    .where(and(eq(rememberedDevices.userId, userId), gt(rememberedDevices.expiresAt, sql`now()`)))
    .orderBy(asc(rememberedDevices.createdAt));
  const currentHash = currentToken && currentToken.length <= 200 ? sha256(currentToken) : null;
  return rows.map(({ tokenHash, ...row }) => ({ ...row, current: currentHash !== null && tokenHash === currentHash }));
}

export const forgetDeviceSchema = z.object({ deviceId: id("Unknown device.") });

export async function forgetDevice(
  db: Executor,
  actor: Pick<MfaActor, "id" | "orgId">,
  input: z.infer<typeof forgetDeviceSchema>,
  meta?: RequestMeta,
) {
  const rows = await db
    .delete(rememberedDevices)
    .where(and(eq(rememberedDevices.id, input.deviceId), eq(rememberedDevices.userId, actor.id), eq(rememberedDevices.orgId, actor.orgId)))
    .returning({ id: rememberedDevices.id });
  if (rows.length === 0) throw notFound("That device");
  await audit(db, { orgId: actor.orgId, event: "device.forgotten", actorUserId: actor.id, targetUserId: actor.id, meta });
}

/**
 * Inside the transaction that lowers the organisation's "remember for N days" setting: deletes the
 * live remembered devices older than N days (all of them for 0) and brings the others' expiry within
 * N days of when they were remembered, so that raising the setting later brings none of them back.
 * Returns how many were ended.
 */
export async function endDevicesBeyond(tx: Executor, orgId: string, days: number) {
  const window = sql`make_interval(days => ${days})`;
  const ended = await tx
    .delete(rememberedDevices)
    .where(
      and(
        eq(rememberedDevices.orgId, orgId),
        gt(rememberedDevices.expiresAt, sql`now()`),
        days > 0 ? lte(rememberedDevices.createdAt, sql`now() - ${window}`) : undefined,
      ),
    )
    .returning({ id: rememberedDevices.id });
  if (days > 0) {
    await tx
      .update(rememberedDevices)
      .set({ expiresAt: sql`${rememberedDevices.createdAt} + ${window}` })
      .where(and(eq(rememberedDevices.orgId, orgId), gt(rememberedDevices.expiresAt, sql`${rememberedDevices.createdAt} + ${window}`)));
  }
  return ended.length;
}
