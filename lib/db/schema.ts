/**
 * The whole data model (schema-core, schema-recovery, schema-api: the JSON API's tokens), for the app, drizzle-kit (drizzle.config.ts) and tests: import from here. Every
 * table that belongs to an organisation carries `org_id`, and every query on it filters by that column.
 * Secrets never live here in plaintext: long random tokens are stored as SHA-256, codes a person types as
 * keyed HMACs (lib/crypto.ts keyedHash), TOTP secrets as AES-256-GCM ciphertext.
 */
export * from "./schema-core";
export * from "./schema-recovery";
export * from "./schema-webauthn";
export * from "./schema-api";
export * from "./schema-alerts";
