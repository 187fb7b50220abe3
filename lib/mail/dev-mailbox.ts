/**
 * The development mailbox: where sendMail() puts messages when SMTP_URL is unset outside production.
 * Read by the /dev/mailbox page and the /api/dev/mail JSON (for testers' scripts). Both answer 404 in
 * production; in development they are deliberately unauthenticated (see README, "For testers").
 */
import { and, desc, eq, gt, sql, type SQL } from "drizzle-orm";
import { devMailboxEnabled } from "@/lib/config";
import type { Executor } from "@/lib/db/client";
import { devMail } from "@/lib/db/schema";

export type DevMail = typeof devMail.$inferSelect;
export type DevMailJson = { id: number; to: string; from: string; subject: string; text: string; html: string; createdAt: string };

export const DEV_MAIL_DEFAULT_LIMIT = 20;
export const DEV_MAIL_MAX_LIMIT = 100;

/** False in production (see lib/config.ts): the mailbox page and JSON must then answer 404. */
export { devMailboxEnabled };

export async function storeDevMail(db: Executor, message: Omit<DevMail, "id" | "createdAt">): Promise<number> {
  const [row] = await db.insert(devMail).values(message).returning({ id: devMail.id });
  return row!.id;
}

/** Newest first; `to` matches the recipient case-insensitively; `after` keeps only ids above it. */
export async function listDevMail(
  db: Executor,
  { to, limit = DEV_MAIL_DEFAULT_LIMIT, after }: { to?: string; limit?: number; after?: number } = {},
): Promise<DevMail[]> {
  const where: SQL[] = [];
  if (to) where.push(sql`lower(${devMail.to}) = ${to.trim().toLowerCase()}`);
  if (after !== undefined) where.push(gt(devMail.id, after));
  return db
    .select()
    .from(devMail)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(devMail.id))
    .limit(Math.min(Math.max(1, Math.trunc(limit)), DEV_MAIL_MAX_LIMIT));
}

export async function getDevMail(db: Executor, id: number): Promise<DevMail | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const [row] = await db.select().from(devMail).where(eq(devMail.id, id));
  return row ?? null;
}

export const devMailJson = (m: DevMail): DevMailJson => ({
  id: m.id,
  to: m.to,
  from: m.from,
  subject: m.subject,
  text: m.text,
  html: m.html,
  createdAt: m.createdAt.toISOString(),
});
