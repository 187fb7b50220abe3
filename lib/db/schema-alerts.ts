/**
 * The data model, part 3: background jobs (lib/jobs) and the admins' alert switches (lib/alerts).
 * Re-exported by lib/db/schema.ts.
 */
import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, organizations, ts, users } from "./schema-core";

/**
 * Durable jobs, shared by every app instance: one row per thing to do once (mostly one email to one
 * person). `key` is unique per (kind, organisation, period or event, recipient): enqueuing the same key
 * twice does nothing, so two instances planning the same reminder make one row. A runner claims due rows
 * with `FOR UPDATE SKIP LOCKED` and a lease (`locked_until`); `done_at` set means done for good.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    payload: jsonb("payload")
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    runAt: ts("run_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    lockedUntil: ts("locked_until"),
    lockedBy: text("locked_by"),
    doneAt: ts("done_at"),
    /** sent, skipped (no longer applies), failed (gave up): how it ended. */
    outcome: text("outcome"),
    /** The kind of the last failure only (never a message text). */
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("jobs_key_idx").on(t.key),
    index("jobs_due_idx")
      .on(t.runAt)
      .where(sql`done_at IS NULL`),
  ],
);

/** An admin switched off one kind of alert (lib/alerts/kinds.ts) for themselves: absent row = on. */
export const alertOptOuts = pgTable(
  "alert_opt_outs",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);
