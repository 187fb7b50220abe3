/**
 * The data model, part 1: organisations, users, login and factors, sessions, invitations, audit, dev
 * mail. lib/db/schema.ts re-exports it with parts 2 and 3, the ways back into an account (schema-recovery.ts);
 * import from there. Stored secrets: see lib/db/schema.ts.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const factorTypes = ["totp", "email", "webauthn"] as const;
export type FactorType = (typeof factorTypes)[number];

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => ts("created_at").notNull().defaultNow();

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  allowTotp: boolean("allow_totp").notNull().default(true),
  allowEmail: boolean("allow_email").notNull().default(true),
  /** Security keys and passkeys (WebAuthn, lib/mfa/webauthn.ts). */
  allowWebauthn: boolean("allow_webauthn").notNull().default(true),
  /**
   * Admins only: the methods they may use, within the allowed ones above (e.g. no email codes for
   * admins). Null: the same as everyone. Decided in one place: lib/mfa/policy.ts isMethodAllowed.
   */
  adminMethods: text("admin_methods").array().$type<FactorType[]>(),
  require2fa: boolean("require_2fa").notNull().default(false),
  /** End of the grace period: until this instant members may skip setting up 2FA. */
  graceUntil: ts("grace_until"),
  rememberDeviceDays: integer("remember_device_days").notNull().default(30),
  /** Admins may issue temporary access codes (lib/admin/temp-codes.ts); turning it off ends the live ones. */
  tempCodesEnabled: boolean("temp_codes_enabled").notNull().default(true),
  /** The longest validity (1 to 24 hours) an admin may choose for a temporary access code. */
  tempCodeMaxHours: integer("temp_code_max_hours").notNull().default(24),
  /** IANA time zone of the organisation (weekly digest on Monday morning there); validated with Intl. */
  timeZone: text("time_zone").notNull().default("UTC"),
  /** Admins asked for the weekly compliance digest even though 2FA is not required for everyone. */
  weeklyDigest: boolean("weekly_digest").notNull().default(false),
  createdAt: createdAt(),
});

export const roles = ["admin", "agent"] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /**
     * Lower-cased; one account per address across the product, since login asks only for the email.
     * A placeholder member (see `placeholderFor`) holds `placeholder:<uuid>` here instead: not an email
     * address, so no login, sign-up or lookup by address ever finds it.
     */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** Null until an invited user sets a password. */
    passwordHash: text("password_hash"),
    role: text("role", { enum: roles }).notNull().default("agent"),
    /** An admin required 2FA for this member specifically. */
    mfaEnforced: boolean("mfa_enforced").notNull().default(false),
    /**
     * "Require everyone to set up 2FA again" removed this member's factors at this instant: 2FA is
     * required for them with no grace period until they confirm a new factor (cleared then).
     */
    mfaResetAt: ts("mfa_reset_at"),
    /** Bumped to end every session of the user (JWTs carry it; a mismatch is refused). */
    sessionVersion: integer("session_version").notNull().default(1),
    deactivatedAt: ts("deactivated_at"),
    lastLoginAt: ts("last_login_at"),
    /**
     * Set only on a placeholder member: an admin invited this address (lower-cased) while it already
     * belonged to an account in another organisation. The admin sees it like any pending invitation
     * (S39: the answer does not depend on other organisations); it has no password and can never accept.
     */
    placeholderFor: text("placeholder_for"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email_idx").on(t.email),
    index("users_org_idx").on(t.orgId),
    uniqueIndex("users_org_placeholder_idx").on(t.orgId, t.placeholderFor),
  ],
);

/**
 * Failed-attempt counters shared by every app instance (keys: `pw-account:<email>`, `pw-ip:<addr>`,
 * `mfa:<userId>`, `signup-ip:<addr>`, `signup-email:<email>`, `invite-org:<orgId>`). Updated with single atomic statements (lib/attempts.ts).
 */
export const attemptCounters = pgTable("attempt_counters", {
  key: text("key").primaryKey(),
  count: integer("count").notNull().default(0),
  windowStart: ts("window_start").notNull().defaultNow(),
  lockedUntil: ts("locked_until"),
});

/**
 * Server-side login state between the password step and the session. The browser holds only the
 * random token (httpOnly cookie); the row holds its hash and which user it is for.
 */
export const loginChallenges = pgTable(
  "login_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    /** Set when every required factor has passed; only then can the session be created. */
    completedAt: ts("completed_at"),
    /** How the second step was passed: password (no 2FA), totp, email, webauthn, recovery, remembered. */
    method: text("method"),
    /** Set once by authorize(): a second use of the token gets nothing. */
    consumedAt: ts("consumed_at"),
    /** The member chose "skip until DATE" during the grace period. */
    skippedEnrolment: boolean("skipped_enrolment").notNull().default(false),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** Set for a login started through the JSON API: the client that will hold the session (only such logins finish there). */
    clientName: text("client_name"),
    clientKind: text("client_kind", { enum: ["extension", "mobile", "cli"] }),
  },
  (t) => [uniqueIndex("login_challenges_token_idx").on(t.tokenHash), index("login_challenges_user_idx").on(t.userId)],
);

export const mfaFactors = pgTable(
  "mfa_factors",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** webauthn: a security key or passkey; its credential is in webauthn_credentials (schema-webauthn.ts). */
    type: text("type", { enum: factorTypes }).notNull(),
    name: text("name").notNull(),
    /** TOTP only: AES-256-GCM ciphertext of the Base32 secret. */
    secretEnc: text("secret_enc"),
    /** TOTP only: last accepted time step; codes at or before it are refused (replay guard). */
    lastUsedStep: bigint("last_used_step", { mode: "number" }),
    /** Null while enrolment is pending: a factor counts only once a valid code confirmed it. */
    confirmedAt: ts("confirmed_at"),
    lastUsedAt: ts("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("mfa_factors_user_idx").on(t.userId)],
);

/** One-time codes sent by email, for a login challenge or an email-factor enrolment. */
export const emailCodes = pgTable(
  "email_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["login", "enrol"] }).notNull(),
    challengeId: uuid("challenge_id").references(() => loginChallenges.id, { onDelete: "cascade" }),
    factorId: uuid("factor_id").references(() => mfaFactors.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    sentAt: ts("sent_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    consumedAt: ts("consumed_at"),
  },
  (t) => [index("email_codes_user_idx").on(t.userId)],
);

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId), uniqueIndex("recovery_codes_hash_idx").on(t.userId, t.codeHash)],
);

/** One row per signed-in browser or API client; the JWT (or the API token) carries its id. Revoking the row ends that session. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    method: text("method"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** Set for a session signed in through the JSON API (lib/api): the client's name and kind, shown in Security › Sessions. */
    clientName: text("client_name"),
    clientKind: text("client_kind", { enum: ["extension", "mobile", "cli"] }),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const rememberedDevices = pgTable(
  "remembered_devices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [uniqueIndex("remembered_devices_token_idx").on(t.tokenHash), index("remembered_devices_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invitations_token_idx").on(t.tokenHash)],
);

/** Audit log and login history. Written in the same transaction as the change it records. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** user, operator (server command) or system. */
    actorType: text("actor_type").notNull().default("user"),
    targetUserId: uuid("target_user_id").references(() => users.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    detail: jsonb("detail")
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_org_idx").on(t.orgId, t.createdAt), index("audit_events_target_idx").on(t.targetUserId, t.createdAt)],
);

/** Development mailbox: where mail goes when no SMTP_URL is set outside production. */
export const devMail = pgTable(
  "dev_mail",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    to: text("to").notNull(),
    from: text("from").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("dev_mail_to_idx").on(t.to, t.id)],
);
