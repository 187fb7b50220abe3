/** Audit log writer: call it with the same transaction as the change it records. */
import type { Executor } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";

export type AuditEventName =
  | "login.success"
  | "login.failure"
  | "login.locked"
  | "mfa.challenge.success"
  | "mfa.challenge.failure"
  | "mfa.locked"
  | "mfa.webauthn.counter_regressed"
  | "mfa.factor.added"
  | "mfa.factor.removed"
  | "mfa.factor.renamed"
  | "mfa.disabled"
  | "mfa.recovery.generated"
  | "mfa.recovery.used"
  | "mfa.enrolment.skipped"
  | "mfa.temp_code.used"
  | "mfa.temp_code.expired"
  | "device.remembered"
  | "device.forgotten"
  | "session.revoked"
  | "api.token.reused"
  | "user.signup"
  | "user.profile.updated"
  | "user.password.changed"
  | "admin.user.added"
  | "admin.invitation.resent"
  | "admin.invitation.revoked"
  | "admin.user.role"
  | "admin.user.deactivated"
  | "admin.user.reactivated"
  | "admin.mfa.enforced"
  | "admin.mfa.unenforced"
  | "admin.mfa.removed"
  | "admin.mfa.unlocked"
  | "admin.user.unlocked"
  | "admin.policy.updated"
  | "admin.temp_code.issued"
  | "admin.temp_code.revoked"
  | "operator.temp_code.issued"
  | "operator.mfa.reset"
  | "operator.user.unlocked"
  | "invitation.accepted"
  | "password.reset.requested"
  | "password.reset.verified"
  | "password.reset.completed"
  | "admin.password.reset.sent"
  | "admin.incident.signed_out_everyone"
  | "admin.incident.mfa_reset_everyone"
  | "admin.digest.updated"
  | "user.alerts.updated"
  | "notification.sent";

type AuditEntry = {
  orgId: string | null;
  event: AuditEventName;
  actorUserId?: string | null;
  actorType?: "user" | "operator" | "system";
  targetUserId?: string | null;
  detail?: Record<string, unknown>;
  meta?: RequestMeta;
};

export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
  await auditWithId(db, entry);
}

/** The same, returning the new row's id (a stable reference for what the event caused, e.g. alert emails). */
export async function auditWithId(db: Executor, entry: AuditEntry): Promise<number> {
  const [row] = await db
    .insert(auditEvents)
    .values({
      orgId: entry.orgId,
      event: entry.event,
      actorUserId: entry.actorUserId ?? null,
      actorType: entry.actorType ?? "user",
      targetUserId: entry.targetUserId ?? null,
      detail: entry.detail ?? {},
      ip: entry.meta?.ip ?? null,
      userAgent: entry.meta?.userAgent ?? null,
    })
    .returning({ id: auditEvents.id });
  return row!.id;
}
