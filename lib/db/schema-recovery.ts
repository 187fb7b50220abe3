/**
 * The data model, part 2: the ways back into an account (sign-up links, password-reset links, temporary
 * access codes from an admin). Re-exported by lib/db/schema.ts with part 1 (schema-core.ts).
 */
import { boolean, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, organizations, ts, users } from "./schema-core";

/**
 * Sign-up waiting for its emailed link (lib/orgs/signup.ts): the organisation and its admin are created
 * only when the link is opened. One row per address: a new request replaces the token, so older links
 * stop working. Only the SHA-256 of the token and the argon2id hash of the password are stored; the
 * row is deleted when the link is used (single use).
 */
export const signupRequests = pgTable(
  "signup_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    organizationName: text("organization_name").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [uniqueIndex("signup_requests_email_idx").on(t.email), uniqueIndex("signup_requests_token_idx").on(t.tokenHash)],
);

export const tempCodeEndings = ["used", "revoked", "expired"] as const;
export type TempCodeEnding = (typeof tempCodeEndings)[number];

/**
 * Temporary access codes an admin (or a server operator) issued for a member who lost their second
 * factor: accepted once at login in place of it (lib/mfa/temp-code-login.ts). Only a keyed hash of the
 * code is stored (S37). Live while `ended_at` is null and `expires_at` is in the future; `ended_at` is
 * set once, atomically, with why it ended (an expired code is recorded when first encountered).
 */
export const tempAccessCodes = pgTable(
  "temp_access_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The admin who issued it; null when a server operator did (`issuer_type`). */
    issuedBy: uuid("issued_by").references(() => users.id, { onDelete: "set null" }),
    issuerType: text("issuer_type", { enum: ["admin", "operator"] }).notNull(),
    codeHash: text("code_hash").notNull(),
    /** Using the code also removes the member's old factors (in the same transaction as the use). */
    removeFactors: boolean("remove_factors").notNull().default(false),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    endedAt: ts("ended_at"),
    endReason: text("end_reason", { enum: tempCodeEndings }),
  },
  (t) => [index("temp_access_codes_user_idx").on(t.userId, t.codeHash), index("temp_access_codes_org_idx").on(t.orgId)],
);

/**
 * Password-reset links ("Forgot your password?", or "Send password reset" by an admin). The email holds
 * a random 256-bit token; the row holds its SHA-256, the user, a 30-minute expiry and single use
 * (`used_at`, set once by a conditional UPDATE). Sending a newer link sets `superseded_at` on the older
 * ones. When the user has a second factor other than email, passing it stores the SHA-256 of another
 * random value held in an httpOnly cookie of that browser (`verified_hash`): only that browser can then
 * choose the new password.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    supersededAt: ts("superseded_at"),
    /** The admin who sent the link; null when the user asked for it. */
    sentBy: uuid("sent_by").references(() => users.id, { onDelete: "set null" }),
    verifiedHash: text("verified_hash"),
    /** totp or recovery: how the second factor was passed for this link. */
    verifiedMethod: text("verified_method"),
  },
  (t) => [uniqueIndex("password_resets_token_idx").on(t.tokenHash), index("password_resets_user_idx").on(t.userId)],
);
