/** Human words for audit events and login methods (audit page, login history). No database here. */
import type { AuditEventName } from "@/lib/audit";

/** Partial on purpose: an event added elsewhere shows its raw name until it gets a label here. */
export const EVENT_LABELS: Partial<Record<AuditEventName, string>> = {
  "login.success": "Signed in",
  "login.failure": "Sign-in failed",
  "login.locked": "Sign-in refused: too many attempts",
  "mfa.challenge.success": "Second factor passed",
  "mfa.challenge.failure": "Second factor failed",
  "mfa.locked": "Second factor refused: too many attempts",
  "mfa.webauthn.counter_regressed": "Security key refused: its signature counter went backwards (possible clone)",
  "mfa.factor.added": "Two-factor method added",
  "mfa.factor.removed": "Two-factor method removed",
  "mfa.factor.renamed": "Two-factor method renamed",
  "mfa.disabled": "Two-factor authentication turned off",
  "mfa.recovery.generated": "Recovery codes generated",
  "mfa.recovery.used": "Recovery code used",
  "mfa.enrolment.skipped": "Two-factor set-up postponed",
  "mfa.temp_code.used": "Temporary access code used",
  "mfa.temp_code.expired": "Temporary access code expired unused",
  "device.remembered": "Device remembered",
  "device.forgotten": "Remembered device forgotten",
  "session.revoked": "Session ended",
  "api.token.reused": "API refresh token reused: session ended",
  "user.signup": "Organisation created",
  "user.profile.updated": "Profile updated",
  "user.password.changed": "Password changed",
  "admin.user.added": "Member added",
  "admin.user.role": "Member role changed",
  "admin.user.deactivated": "Member deactivated",
  "admin.user.reactivated": "Member reactivated",
  "admin.mfa.enforced": "Two-factor required for member",
  "admin.mfa.unenforced": "Two-factor no longer required for member",
  "admin.mfa.removed": "Member's two-factor removed",
  "admin.mfa.unlocked": "Member's two-factor lockout cleared",
  "admin.user.unlocked": "Member's sign-in locks cleared",
  "operator.user.unlocked": "Sign-in locks cleared by an operator",
  "admin.policy.updated": "Two-factor policy changed",
  "admin.incident.signed_out_everyone": "Everyone signed out (incident response)",
  "admin.incident.mfa_reset_everyone": "Everyone's 2FA removed: set up again (incident response)",
  "admin.digest.updated": "Weekly digest settings changed",
  "user.alerts.updated": "Admin alert settings changed",
  "notification.sent": "Notification email sent",
  "operator.mfa.reset": "Two-factor reset by an operator",
  "admin.temp_code.issued": "Temporary access code issued",
  "admin.temp_code.revoked": "Temporary access code revoked",
  "operator.temp_code.issued": "Temporary access code issued by an operator",
  "invitation.accepted": "Invitation accepted",
  "admin.invitation.resent": "Invitation sent again",
  "admin.invitation.revoked": "Invitation revoked",
  "password.reset.requested": "Password reset link requested",
  "password.reset.verified": "Second factor passed for a password reset",
  "password.reset.completed": "Password reset",
  "admin.password.reset.sent": "Password reset link sent by an admin",
};

export function eventLabel(event: string): string {
  return EVENT_LABELS[event as AuditEventName] ?? event;
}

export const METHOD_LABELS: Record<string, string> = {
  password: "Password",
  totp: "Authenticator app",
  email: "Email code",
  webauthn: "Security key or passkey",
  recovery: "Recovery code",
  remembered: "Remembered device",
  temp_code: "Temporary access code",
};

export function methodLabel(method: string | null | undefined): string {
  if (!method) return "—";
  return METHOD_LABELS[method] ?? method;
}

export { describeDetail } from "./detail";
