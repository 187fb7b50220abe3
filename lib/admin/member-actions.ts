/**
 * Admin changes to one member: enforce 2FA, remove 2FA (lost device), unlock, role, deactivate and
 * reactivate. Each checks, inside the use case, that the actor is an active admin (else "forbidden")
 * and that the member is in the actor's organisation (else "not found"), and audits in the same
 * transaction. The organisation row is locked so "keep one admin" checks cannot race.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { clearLocks } from "@/lib/auth/locks";
import { revokeAccess } from "@/lib/auth/sessions";
import type { Db, Tx } from "@/lib/db/client";
import { organizations, roles, tempAccessCodes, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { revokeTempCodes } from "@/lib/mfa/temp-codes";
import type { RequestMeta } from "@/lib/request-context";
import { confirmPassword } from "@/lib/users/profile";
import { checkbox, currentPassword, reason } from "@/lib/validation";
import { assertAdmin, assertOwn2faIfRequired, findMember, type AdminActor } from "./guard";
import { notifyMfaRemoved, wipeMfa } from "./remove-mfa";

export const LAST_ADMIN_MESSAGE = "Your organisation needs at least one active admin: make someone else an admin first.";

/** Any string: an id that is not a uuid of this organisation is "not found" (findMember), like any other. */
const memberId = z.string({ error: "Choose a member." }).min(1, "Choose a member.").max(64, "Choose a member.");

type Ctx = Awaited<ReturnType<typeof assertAdmin>> & { tx: Tx; target: typeof users.$inferSelect };

/** Runs `fn` in a transaction after the admin and same-organisation checks, with the org row locked. */
async function asAdmin<T>(db: Db, actor: AdminActor, userId: string, fn: (ctx: Ctx) => Promise<T>, options: { needs2fa?: boolean } = {}) {
  return db.transaction(async (tx) => {
    const admin = await assertAdmin(tx, actor);
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, admin.org.id)).for("update");
    if (options.needs2fa) await assertOwn2faIfRequired(tx, actor, admin.org);
    const target = await findMember(tx, actor, userId);
    return fn({ ...admin, tx, target });
  });
}

async function otherActiveAdmins(tx: Tx, orgId: string, exceptUserId: string) {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, "admin"), isNull(users.deactivatedAt), ne(users.id, exceptUserId)));
  return rows.length;
}

export const enforceSchema = z.object({ userId: memberId, enforced: checkbox });

export async function setMfaEnforced(db: Db, actor: AdminActor, { userId, enforced }: z.output<typeof enforceSchema>, meta?: RequestMeta) {
  return asAdmin(
    db,
    actor,
    userId,
    async ({ tx, target, org }) => {
      if (target.mfaEnforced === enforced) return { changed: false };
      await tx
        .update(users)
        .set({ mfaEnforced: enforced })
        .where(and(eq(users.id, target.id), eq(users.orgId, org.id)));
      await audit(tx, {
        orgId: org.id,
        event: enforced ? "admin.mfa.enforced" : "admin.mfa.unenforced",
        actorUserId: actor.id,
        targetUserId: target.id,
        meta,
      });
      return { changed: true };
    },
    { needs2fa: true },
  );
}

export const removeMfaSchema = z.object({
  userId: memberId,
  password: currentPassword(),
  reason,
});

/**
 * "Remove 2FA" for a member who lost their device: the admin re-enters their own password and gives a
 * reason. Every factor, recovery code, remembered device and session of the member ends; the member
 * is emailed; the audit entry names the admin, the member and the reason.
 */
export async function removeMemberMfa(
  db: Db,
  actor: AdminActor,
  { userId, password, reason }: z.output<typeof removeMfaSchema>,
  meta?: RequestMeta,
) {
  // Authorisation first (an agent learns nothing, not even whether the password was right).
  const { org } = await assertAdmin(db, actor);
  await assertOwn2faIfRequired(db, actor, org);
  const target = await findMember(db, actor, userId);
  if (target.id === actor.id) {
    throw new AppError("bad_request", "Change your own two-factor authentication on your profile page.");
  }
  await confirmPassword(db, actor, password, "password");
  const result = await asAdmin(
    db,
    actor,
    userId,
    async ({ tx, target, user: admin }) => {
      const removed = await wipeMfa(tx, target.id);
      await audit(tx, {
        orgId: org.id,
        event: "admin.mfa.removed",
        actorUserId: actor.id,
        targetUserId: target.id,
        detail: { reason, ...removed },
        meta,
      });
      return { target, admin, removed };
    },
    { needs2fa: true },
  );
  const emailed = await notifyMfaRemoved(result.target, org.name, `An administrator (${result.admin.name})`);
  return { ...result.removed, emailed };
}

export const memberSchema = z.object({ userId: memberId });

/**
 * Clears every lock of a member before it ends by itself: the account-wide password lock, the locks
 * of their known browsers, the second-factor lock and the password-confirmation lock (lib/auth/locks.ts).
 * `cleared` lists the locks that were in force.
 */
export async function unlockMember(db: Db, actor: AdminActor, { userId }: z.output<typeof memberSchema>, meta?: RequestMeta) {
  return asAdmin(db, actor, userId, async ({ tx, target, org }) => {
    const { cleared, lockedBrowsers } = await clearLocks(tx, target);
    const wasLocked = cleared.length > 0;
    await audit(tx, {
      orgId: org.id,
      event: "admin.user.unlocked",
      actorUserId: actor.id,
      targetUserId: target.id,
      detail: { wasLocked, cleared: cleared.join(","), lockedBrowsers },
      meta,
    });
    return { wasLocked, cleared };
  });
}

export const roleSchema = z.object({
  userId: memberId,
  role: z.enum(roles, { error: "Choose admin or agent." }),
});

/** Changes a member's role. The organisation always keeps one active admin. */
export async function changeRole(db: Db, actor: AdminActor, { userId, role }: z.output<typeof roleSchema>, meta?: RequestMeta) {
  return asAdmin(db, actor, userId, async ({ tx, target, org }) => {
    if (target.role === role) return { changed: false };
    if (target.role === "admin" && !target.deactivatedAt && (await otherActiveAdmins(tx, org.id, target.id)) === 0) {
      throw new AppError("conflict", LAST_ADMIN_MESSAGE);
    }
    await tx
      .update(users)
      .set({ role })
      .where(and(eq(users.id, target.id), eq(users.orgId, org.id)));
    await audit(tx, {
      orgId: org.id,
      event: "admin.user.role",
      actorUserId: actor.id,
      targetUserId: target.id,
      detail: { from: target.role, to: role },
      meta,
    });
    return { changed: true };
  });
}

/** Deactivates a member: they cannot sign in, their sessions and remembered devices end. */
export async function deactivateMember(db: Db, actor: AdminActor, { userId }: z.output<typeof memberSchema>, meta?: RequestMeta) {
  return asAdmin(db, actor, userId, async ({ tx, target, org }) => {
    if (target.deactivatedAt) return { changed: false };
    if (target.role === "admin" && (await otherActiveAdmins(tx, org.id, target.id)) === 0) {
      throw new AppError("conflict", LAST_ADMIN_MESSAGE);
    }
    await tx
      .update(users)
      .set({ deactivatedAt: sql`now()` })
      .where(and(eq(users.id, target.id), eq(users.orgId, org.id)));
    await revokeAccess(tx, target.id);
    // A live temporary access code would work again after a reactivation: it ends now.
    await revokeTempCodes(tx, eq(tempAccessCodes.userId, target.id), { actorUserId: actor.id, cause: "deactivated", meta });
    await audit(tx, { orgId: org.id, event: "admin.user.deactivated", actorUserId: actor.id, targetUserId: target.id, meta });
    return { changed: true, self: target.id === actor.id };
  });
}

export async function reactivateMember(db: Db, actor: AdminActor, { userId }: z.output<typeof memberSchema>, meta?: RequestMeta) {
  return asAdmin(db, actor, userId, async ({ tx, target, org }) => {
    if (!target.deactivatedAt) return { changed: false };
    await tx
      .update(users)
      .set({ deactivatedAt: null })
      .where(and(eq(users.id, target.id), eq(users.orgId, org.id)));
    await audit(tx, { orgId: org.id, event: "admin.user.reactivated", actorUserId: actor.id, targetUserId: target.id, meta });
    return { changed: true };
  });
}
