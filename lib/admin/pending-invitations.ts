/**
 * Invitations not accepted yet, for the members page: who was invited, when, until when the newest link
 * works (or that it expired), with "Resend" (lib/admin/invitations.ts resendInvitation) and "Revoke".
 * Revoking removes the invited member, who never chose a password and so owns nothing: their links stop
 * working at once and the address may be invited again later. Audited with the address.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { audit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { invitations, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { assertAdmin, findMember, type AdminActor } from "./guard";
import { memberEmail, memberEmailSql } from "./member-email";

export type PendingInvitation = {
  userId: string;
  name: string;
  email: string;
  invitedAt: Date;
  /** The newest link's end; null when no link exists any more (e.g. a failed send). */
  expiresAt: Date | null;
  expired: boolean;
};

export const NOT_PENDING_MESSAGE = "This member has already accepted their invitation.";

/** Members of the actor's organisation who were invited and have not chosen a password, newest first. */
export async function listPendingInvitations(db: Db, actor: AdminActor): Promise<PendingInvitation[]> {
  await assertAdmin(db, actor);
  const newest = db
    .select({ userId: invitations.userId, expiresAt: sql<Date>`max(${invitations.expiresAt})`.as("expires_at") })
    .from(invitations)
    .where(and(eq(invitations.orgId, actor.orgId), isNull(invitations.usedAt)))
    .groupBy(invitations.userId)
    .as("newest");
  const rows = await db
    .select({ userId: users.id, name: users.name, email: memberEmailSql(users), invitedAt: users.createdAt, expiresAt: newest.expiresAt })
    .from(users)
    .leftJoin(newest, eq(newest.userId, users.id))
    .where(and(eq(users.orgId, actor.orgId), isNull(users.passwordHash), isNull(users.deactivatedAt)))
    .orderBy(desc(users.createdAt));
  const now = Date.now();
  return rows.map((r) => {
    const expiresAt = r.expiresAt ? new Date(r.expiresAt) : null;
    return { ...r, expiresAt, expired: !expiresAt || expiresAt.getTime() <= now };
  });
}

/** "Revoke": the invited member and every link of theirs go. Refused once they accepted (deactivate them instead). */
export async function revokeInvitation(db: Db, actor: AdminActor, { userId }: { userId: string }, meta?: RequestMeta) {
  return db.transaction(async (tx) => {
    const { org } = await assertAdmin(tx, actor);
    const member = await findMember(tx, actor, userId);
    if (member.passwordHash) throw new AppError("conflict", NOT_PENDING_MESSAGE);
    await audit(tx, {
      orgId: org.id,
      event: "admin.invitation.revoked",
      actorUserId: actor.id,
      targetUserId: member.id,
      detail: { email: memberEmail(member), name: member.name },
      meta,
    });
    // The member row owns the links (cascade); the audit row keeps the address after its target is gone.
    await tx.delete(users).where(and(eq(users.id, member.id), eq(users.orgId, org.id), isNull(users.passwordHash)));
    return { email: memberEmail(member) };
  });
}
