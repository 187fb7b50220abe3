/**
 * The data model, part 3: the JSON API's tokens (lib/api/tokens.ts). Each row is one access/refresh pair,
 * tied to a row of `sessions` (the API client's session, listed in Security › Sessions): a session's pairs
 * are its token family. Both tokens are 256-bit random strings stored only as SHA-256. A refresh replaces
 * the pair (rotated_at set on the old row); presenting a replaced refresh token again ends the session.
 */
import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, organizations, sessions, ts, users } from "./schema-core";

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** users.session_version when the pair was issued: a bump (every session ended) ends the pair too. */
    sessionVersion: integer("session_version").notNull(),
    accessHash: text("access_hash").notNull(),
    refreshHash: text("refresh_hash").notNull(),
    accessExpiresAt: ts("access_expires_at").notNull(),
    refreshExpiresAt: ts("refresh_expires_at").notNull(),
    /** Set when a refresh replaced this pair: its access token stops, its refresh token is a reuse from then on. */
    rotatedAt: ts("rotated_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_tokens_access_idx").on(t.accessHash),
    uniqueIndex("api_tokens_refresh_idx").on(t.refreshHash),
    index("api_tokens_session_idx").on(t.sessionId),
  ],
);
