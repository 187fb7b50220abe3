/**
 * The kinds of email an admin receives about their organisation's 2FA, each of which they can switch
 * off for themselves (Security › Notifications). No database here: the settings page imports it too.
 */
export const ALERT_KINDS = ["mfa-off", "mfa-locked", "temp-code-used", "recovery-low", "grace-ended", "weekly-digest"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_LABELS: Record<AlertKind, { label: string; hint: string }> = {
  "mfa-off": { label: "A member turns 2FA off", hint: "Or removes their last second factor." },
  "mfa-locked": { label: "A member is locked out", hint: "Too many incorrect second-factor codes." },
  "temp-code-used": { label: "A temporary access code is used", hint: "A member signed in with a code an admin issued." },
  "recovery-low": { label: "A member is running out of recovery codes", hint: "When a use leaves 2 codes." },
  "grace-ended": { label: "The grace period ends", hint: "One email listing the members who have not set up 2FA." },
  "weekly-digest": {
    label: "Weekly compliance digest",
    hint: "Monday morning in the organisation's time zone, when 2FA is required or the digest is switched on.",
  },
};

/** A recovery-code use that leaves this many unused codes alerts the admins (the last-but-two). */
export const RECOVERY_ALERT_REMAINING = 2;
