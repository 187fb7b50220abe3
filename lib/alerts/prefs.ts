/**
 * Each admin's own alert switches (Security › Notifications): a row in alert_opt_outs means "off".
 * Only admins receive alerts, so only admins may change them.
 */
import { and, eq, notInArray } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import type { Db, Executor } from "@/lib/db/client";
import { alertOptOuts, users } from "@/lib/db/schema";
import { forbidden } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { ALERT_KINDS, type AlertKind } from "./kinds";

/** The form: one checkbox per kind ("on" when ticked, absent when not). */
const onOff = z
  .union([z.boolean(), z.enum(["on", "true", "false", ""], { error: "Tick the box or leave it empty." })])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");
export const alertPrefsSchema = z.object(Object.fromEntries(ALERT_KINDS.map((k) => [k, onOff])) as Record<AlertKind, typeof onOff>);
export type AlertPrefs = Record<AlertKind, boolean>;

async function activeAdmin(db: Executor, actor: { id: string; orgId: string }) {
  const [row] = await db
    .select({ role: users.role, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.id, actor.id), eq(users.orgId, actor.orgId)));
  if (!row || row.role !== "admin" || row.deactivatedAt) throw forbidden();
}

export async function getAlertPrefs(db: Executor, actor: { id: string; orgId: string }): Promise<AlertPrefs> {
  await activeAdmin(db, actor);
  const off = await db.select({ kind: alertOptOuts.kind }).from(alertOptOuts).where(eq(alertOptOuts.userId, actor.id));
  const offKinds = new Set(off.map((o) => o.kind));
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, !offKinds.has(k)])) as AlertPrefs;
}

export async function updateAlertPrefs(db: Db, actor: { id: string; orgId: string }, prefs: AlertPrefs, meta?: RequestMeta) {
  return db.transaction(async (tx) => {
    await activeAdmin(tx, actor);
    const off = ALERT_KINDS.filter((k) => !prefs[k]);
    await tx
      .delete(alertOptOuts)
      .where(and(eq(alertOptOuts.userId, actor.id), off.length ? notInArray(alertOptOuts.kind, off) : undefined));
    if (off.length) {
      await tx
        .insert(alertOptOuts)
        .values(off.map((kind) => ({ userId: actor.id, orgId: actor.orgId, kind })))
        .onConflictDoNothing();
    }
    await audit(tx, {
      orgId: actor.orgId,
      event: "user.alerts.updated",
      actorUserId: actor.id,
      targetUserId: actor.id,
      detail: { off },
      meta,
    });
    return { off };
  });
}
