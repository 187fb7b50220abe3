/** The templates the dev mailbox can send a sample of (shared by the form and the server). */
export const sampleKinds = [
  "login-code",
  "enrol-code",
  "invitation",
  "security-notice",
  "signup-link",
  "signup-existing",
  "invitation-elsewhere",
  "admin-alert",
  "grace-reminder",
  "weekly-digest",
  "incident-notice",
] as const;
export type SampleKind = (typeof sampleKinds)[number];
export const sampleLabels: Record<SampleKind, string> = {
  "login-code": "Sign-in code",
  "enrol-code": "Enrolment code",
  invitation: "Invitation",
  "security-notice": "Security notice",
  "signup-link": "Sign-up link",
  "signup-existing": "Sign-up with an existing address",
  "invitation-elsewhere": "Invitation for an address in another organisation",
  "admin-alert": "Admin alert (member locked out)",
  "grace-reminder": "2FA set-up reminder",
  "weekly-digest": "Weekly 2FA digest",
  "incident-notice": "Incident response notice",
};
