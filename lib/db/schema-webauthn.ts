/**
 * The data model, part 3: security keys and passkeys (WebAuthn, lib/mfa/webauthn.ts). A key is an
 * mfa_factors row of type "webauthn" (name, added, last used: like every factor, so it counts wherever
 * factors do) plus its credential here. Re-exported by lib/db/schema.ts.
 */
import { bigint, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, loginChallenges, mfaFactors, organizations, ts, users } from "./schema-core";

/** The public half of a key: nothing here is secret (the private key never leaves the authenticator). */
export const webauthnCredentials = pgTable(
  "webauthn_credentials",
  {
    factorId: uuid("factor_id")
      .primaryKey()
      .references(() => mfaFactors.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The credential id (base64url), unique across the product: a key is registered once. */
    credentialId: text("credential_id").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter; 0 when it keeps none. A value that does not grow is refused. */
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: jsonb("transports").$type<string[]>().notNull().default([]),
    aaguid: text("aaguid").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("webauthn_credentials_credential_idx").on(t.credentialId), index("webauthn_credentials_user_idx").on(t.userId)],
);

export const webauthnPurposes = ["register", "login"] as const;

/**
 * One WebAuthn challenge (random, 32 bytes): stored as its SHA-256, bound to the user (and, at login, to
 * the login challenge), used once (DELETE … RETURNING), 5 minutes.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: webauthnPurposes }).notNull(),
    /** The login this challenge belongs to (sign-in with a key, or adding one at /login/setup). */
    loginChallengeId: uuid("login_challenge_id").references(() => loginChallenges.id, { onDelete: "cascade" }),
    challengeHash: text("challenge_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [uniqueIndex("webauthn_challenges_hash_idx").on(t.challengeHash), index("webauthn_challenges_user_idx").on(t.userId)],
);
