/**
 * Audit details in words ("Recovery codes removed: 10 · Method: Authenticator app"), never raw keys or
 * codes: every key the app writes has a label and a way to show its value; a key added later falls back
 * to a humanised name. Only scalars (and lists of words) are shown; nested objects are left out.
 */
import { formatGraceDay, lastGraceDay } from "@/lib/mfa/policy";
import { methodLabel } from "./labels";

type Shown = string | null;
const yesNo = (v: unknown) => (v === true || v === "true" ? "yes" : "no");
const count = (label: string) => (v: unknown) => `${label}: ${Number(v)}`;

const FACTOR_TYPES: Record<string, string> = { totp: "Authenticator app", email: "Email codes", webauthn: "Security key or passkey" };
const ROLES: Record<string, string> = { admin: "Admin", agent: "Agent" };

const REASONS: Record<string, string> = {
  wrong_password: "wrong password",
  unknown_email: "unknown email address",
  no_password: "no password set",
  deactivated: "account deactivated",
  replayed: "code already used",
  signed_out: "signed out",
};

const LIMITS: Record<string, string> = { account: "this account", address: "this address", device: "this browser" };

/** Short names of the locks in "cleared" (lib/auth/locks.ts LockKind), comma-separated in the detail. */
const LOCK_NAMES: Record<string, string> = {
  password: "password (new browsers)",
  device: "password (known browsers)",
  mfa: "second factor",
  reauth: "password confirmation",
};

/** Why a temporary access code ended early (lib/mfa/temp-codes.ts RevokeCause). */
const CAUSES: Record<string, string> = {
  revoked_by_admin: "revoked by an admin",
  replaced: "replaced by a newer code",
  turned_off: "codes turned off in the 2FA policy",
  deactivated: "member deactivated",
};

/** What a `notification.sent` row's email was (lib/alerts). */
const NOTIFICATION_KINDS: Record<string, string> = {
  "mfa-off": "admin alert, 2FA turned off",
  "mfa-locked": "admin alert, member locked out",
  "temp-code-used": "admin alert, temporary code used",
  "recovery-low": "admin alert, 2 recovery codes left",
  "grace-ended": "admin alert, grace period ended",
  "weekly-digest": "weekly 2FA digest",
  "reminder-7": "2FA set-up reminder, 7 days left",
  "reminder-1": "2FA set-up reminder, 1 day left",
  "reminder-0": "2FA set-up reminder, last day",
  "incident-signed-out": "signed out by an admin",
  "incident-mfa-reset": "2FA removed by an admin, set up again",
};

/** An instant as the audit page's dates read (UTC, to the minute). */
function when(v: unknown): string {
  const date = new Date(String(v));
  return Number.isNaN(date.getTime()) ? String(v) : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Policy fields named in admin.policy.updated's "changed". */
const POLICY_FIELDS: Record<string, string> = {
  allowTotp: "authenticator apps allowed",
  allowEmail: "email codes allowed",
  allowWebauthn: "security keys and passkeys allowed",
  adminMethods: "methods for admins",
  require2fa: "2FA required",
  graceUntil: "grace period",
  rememberDeviceDays: "remembered-browser days",
  tempCodesEnabled: "temporary access codes allowed",
  tempCodeMaxHours: "longest temporary code",
};

function graceDay(v: unknown): string {
  const date = new Date(String(v));
  return Number.isNaN(date.getTime()) ? String(v) : formatGraceDay(lastGraceDay(date));
}

/** Each known key: how its value reads, or null to leave the key out. `event` helps where a key means two things. */
const KEYS: Record<string, (value: unknown, event?: string) => Shown> = {
  changed: (v) =>
    Array.isArray(v) ? `Changed: ${v.map((k) => POLICY_FIELDS[String(k)] ?? humanise(String(k))).join(", ") || "nothing"}` : null,
  method: (v) => `Method: ${methodLabel(String(v))}`,
  type: (v) => `Method: ${FACTOR_TYPES[String(v)] ?? String(v)}`,
  name: (v) => `Name: ${String(v)}`,
  factor: (v) => `Name: ${String(v)}`,
  first: (v) => (v === true ? "First method: recovery codes created" : null),
  reason: (v, event) =>
    `Reason: ${event === "admin.mfa.removed" || event?.startsWith("admin.incident.") ? String(v) : (REASONS[String(v)] ?? String(v))}`,
  limit: (v) => `Locked: ${LIMITS[String(v)] ?? String(v)}`,
  scope: (v) =>
    `Sessions: ${v === "others" ? "all other sessions" : v === "this" ? "this session" : v === "one" ? "one other session" : String(v)}`,
  count: count("Sessions ended"),
  attempt: count("Failed attempt"),
  counted: (v) => (v === false ? "Not counted toward the limit" : null),
  remaining: count("Recovery codes left"),
  days: (v) => `Remembered for: ${Number(v)} day${Number(v) === 1 ? "" : "s"}`,
  role: (v) => `Role: ${ROLES[String(v)] ?? String(v)}`,
  mfaEnforced: (v) => `2FA required: ${yesNo(v)}`,
  wasLocked: (v) => (v === false ? "Was not locked" : null),
  cleared: (v) =>
    `Cleared: ${
      String(v)
        .split(",")
        .filter(Boolean)
        .map((k) => LOCK_NAMES[k] ?? k)
        .join(", ") || "nothing was locked"
    }`,
  lockedBrowsers: count("Locked browsers"),
  factors: count("Methods removed"),
  recoveryCodes: count("Recovery codes removed"),
  rememberedDevices: count("Remembered browsers ended"),
  rememberedDevicesEnded: count("Remembered browsers ended"),
  membersWithout2fa: count("Members without 2FA"),
  membersLosing2fa: count("Members losing 2FA"),
  operator: (v) => `Operator: ${String(v)}`,
  graceUntil: (v) => (v ? `Grace period until: ${graceDay(v)}` : null),
  email: (v) => `Email: ${String(v)}`,
  codeId: () => null,
  hours: (v) => `Valid for: ${Number(v)} hour${Number(v) === 1 ? "" : "s"}`,
  expiresAt: (v) => `Expires: ${when(v)}`,
  expiredAt: (v) => `Expired: ${when(v)}`,
  removeFactors: (v) => `Removes old factors when used: ${yesNo(v)}`,
  factorsRemoved: (v) => `Old factors removed: ${yesNo(v)}`,
  cause: (v) => `Why: ${CAUSES[String(v)] ?? String(v)}`,
  purpose: (v) => `For: ${v === "password-reset" ? "password reset" : String(v)}`,
  requestedBy: (v) => `Link asked for by: ${v === "admin" ? "an admin" : v === "user" ? "the member" : String(v)}`,
  tempCodesEnded: count("Temporary codes ended"),
  tempCodesShortened: count("Temporary codes shortened"),
  // Issue #17: incident response, alert settings, emails sent by the job runner.
  whose: (v) => `Whose 2FA: ${v === "all" ? "everyone" : v === "agent" ? "agents" : v === "admin" ? "admins" : String(v)}`,
  members: count("Members"),
  users: count("Members signed out"),
  sessions: count("Sessions ended"),
  pendingLogins: count("Sign-ins in progress stopped"),
  kind: (v) => `Email: ${NOTIFICATION_KINDS[String(v)] ?? humanise(String(v))}`,
  job: () => null,
  about: () => null,
  off: (v) => (Array.isArray(v) ? `Alerts switched off: ${v.length ? v.join(", ") : "none"}` : null),
  timeZone: (v) => `Time zone: ${String(v)}`,
  weeklyDigest: (v) => `Weekly digest requested: ${yesNo(v)}`,
};

/** "from"/"to" pairs: a role change or a rename. */
function change(detail: Record<string, unknown>, event?: string): Shown {
  if (typeof detail.from !== "string" || typeof detail.to !== "string") return null;
  if (event === "admin.user.role") return `Role: ${ROLES[detail.from] ?? detail.from} → ${ROLES[detail.to] ?? detail.to}`;
  return `Name: “${detail.from}” → “${detail.to}”`;
}

/** "lockedBrowsers" → "Locked browsers". */
function humanise(key: string) {
  const words = key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Method: Authenticator app · Reason: wrong password": flat, short, one line. */
export function describeDetail(detail: Record<string, unknown> | null | undefined, event?: string): string {
  if (!detail) return "";
  const parts: string[] = [];
  const pair = change(detail, event);
  if (pair) parts.push(pair);
  // In the order of KEYS, whatever order the database kept them in (jsonb sorts keys by length).
  const rank = (key: string) => (key in KEYS ? Object.keys(KEYS).indexOf(key) : Number.MAX_SAFE_INTEGER);
  const entries = Object.entries(detail).sort(([a], [b]) => rank(a) - rank(b));
  for (const [key, value] of entries) {
    if (value === null || value === undefined || (pair && (key === "from" || key === "to"))) continue;
    const known = KEYS[key];
    if (known) {
      if (typeof value === "object" && !Array.isArray(value)) continue;
      const shown = known(value, event);
      if (shown) parts.push(shown.slice(0, 160));
    } else if (typeof value !== "object") {
      const text = typeof value === "boolean" ? yesNo(value) : String(value).slice(0, 120);
      parts.push(`${humanise(key)}: ${text}`);
    }
  }
  return parts.join(" · ");
}
