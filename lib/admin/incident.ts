/**
 * Incident response on the 2FA policy page's danger zone (issue #17), each for a whole organisation:
 *
 * - signOutEveryone: every session, remembered browser, login in progress and unused reset link of every
 *   member ends (revokeOrgAccess), except the acting admin's current session.
 * - resetEveryoneMfa: every factor, recovery code and pending email code of every member (or of one role)
 *   is removed, and everyone in scope is signed out the same way. Each such member gets `mfa_reset_at`:
 *   2FA is required for them with no grace period, whatever the organisation's grace date, until they
 *   confirm a new factor (lib/mfa/policy.ts; cleared in onFactorConfirmed). So they enrol at next login.
 *
 * Both need the admin's password (with its attempt limit), a reason and the organisation's name typed
 * exactly; both run as one transaction of set-based statements (one per table), audited once with the
 * counts; each member concerned (not the acting admin) gets one email, queued in the same transaction
 * (one INSERT, keyed by the audit row and the member, sent by the job runner).
 */
import { and, eq, inArray, isNotNull, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { auditWithId } from "@/lib/audit";
import { revokeOrgAccess } from "@/lib/auth/sessions";
import type { Db, Executor } from "@/lib/db/client";
import { emailCodes, mfaFactors, recoveryCodes, roles, users, type Role } from "@/lib/db/schema";
import { fieldError } from "@/lib/errors";
import { enqueueJobs } from "@/lib/jobs/queue";
import { wakeJobRunner } from "@/lib/jobs/runner";
import type { RequestMeta } from "@/lib/request-context";
import { confirmPassword } from "@/lib/users/profile";
import { currentPassword, reason } from "@/lib/validation";
import { assertAdmin, assertOwn2faIfRequired, type AdminActor } from "./guard";

const confirmName = z.string({ error: "Type the organisation's name." }).trim().min(1, "Type the organisation's name.").max(200);

export const signOutEveryoneSchema = z.object({ password: currentPassword(), reason, confirmName });
export const resetEveryoneMfaSchema = z.object({
  password: currentPassword(),
  reason,
  confirmName,
  scope: z.enum(["all", ...roles], { error: "Choose whose 2FA to remove." }).default("all"),
});

export const NAME_MISMATCH = "Type the organisation's name exactly as shown.";

type Actor = AdminActor & { sessionId: string };

async function authorise(db: Db, actor: Actor, input: { password: string; confirmName: string }, mfa: boolean) {
  const { org } = await assertAdmin(db, actor);
  if (mfa) await assertOwn2faIfRequired(db, actor, org);
  await confirmPassword(db, actor, input.password);
  if (input.confirmName !== org.name.trim()) throw fieldError("confirmName", NAME_MISMATCH);
  return org;
}

/** Members to email: everyone active in scope who can sign in, except the acting admin. */
function emailScope(orgId: string, actorId: string, role?: Role) {
  return and(
    eq(users.orgId, orgId),
    isNull(users.deactivatedAt),
    isNotNull(users.passwordHash),
    ne(users.id, actorId),
    role ? eq(users.role, role) : undefined,
  );
}

async function queueEmails(tx: Executor, orgId: string, actorId: string, ref: number, payload: Record<string, unknown>, role?: Role) {
  const members = await tx
    .select({ id: users.id })
    .from(users)
    .where(emailScope(orgId, actorId, role));
  return enqueueJobs(
    tx,
    members.map((m) => ({ key: `incident:${ref}:${m.id}`, kind: "incident" as const, orgId, payload: { ...payload, recipientId: m.id } })),
  );
}

export async function signOutEveryone(db: Db, actor: Actor, input: z.infer<typeof signOutEveryoneSchema>, meta?: RequestMeta) {
  const org = await authorise(db, actor, input, false);
  const result = await db.transaction(async (tx) => {
    const counts = await revokeOrgAccess(tx, org.id, { keepUserId: actor.id, keepSessionId: actor.sessionId });
    const ref = await auditWithId(tx, {
      orgId: org.id,
      event: "admin.incident.signed_out_everyone",
      actorUserId: actor.id,
      detail: { reason: input.reason, ...counts },
      meta,
    });
    const emailed = await queueEmails(tx, org.id, actor.id, ref, { action: "signed-out", reason: input.reason });
    return { ...counts, emailed };
  });
  wakeJobRunner();
  return result;
}

export async function resetEveryoneMfa(db: Db, actor: Actor, input: z.infer<typeof resetEveryoneMfaSchema>, meta?: RequestMeta) {
  const org = await authorise(db, actor, input, true);
  const role = input.scope === "all" ? undefined : input.scope;
  const result = await db.transaction(async (tx) => {
    const inScope = tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.orgId, org.id), role ? eq(users.role, role) : undefined));
    const factors = await tx
      .delete(mfaFactors)
      .where(and(eq(mfaFactors.orgId, org.id), inArray(mfaFactors.userId, inScope)))
      .returning({ id: mfaFactors.id });
    const codes = await tx.delete(recoveryCodes).where(inArray(recoveryCodes.userId, inScope)).returning({ id: recoveryCodes.id });
    await tx.delete(emailCodes).where(inArray(emailCodes.userId, inScope));
    const members = await tx
      .update(users)
      .set({ mfaResetAt: new Date() })
      .where(and(eq(users.orgId, org.id), isNull(users.deactivatedAt), role ? eq(users.role, role) : undefined))
      .returning({ id: users.id });
    const access = await revokeOrgAccess(tx, org.id, { role, keepUserId: actor.id, keepSessionId: actor.sessionId });
    const counts = {
      members: members.length,
      factors: factors.length,
      recoveryCodes: codes.length,
      sessions: access.sessions,
      pendingLogins: access.pendingLogins,
      rememberedDevices: access.rememberedDevices,
    };
    const ref = await auditWithId(tx, {
      orgId: org.id,
      event: "admin.incident.mfa_reset_everyone",
      actorUserId: actor.id,
      detail: { reason: input.reason, whose: input.scope, ...counts },
      meta,
    });
    const emailed = await queueEmails(tx, org.id, actor.id, ref, { action: "mfa-reset", reason: input.reason }, role);
    return { ...counts, emailed, includesActor: !role || role === "admin" };
  });
  wakeJobRunner();
  return result;
}
