/**
 * The database handle, opened lazily on first use (never at import time: `next build` imports route
 * modules). DATABASE_URL set: PostgreSQL through `postgres`. Unset: embedded PGlite in .data/pglite
 * (or PGLITE_DIR; `memory://` for an in-memory database in tests).
 */
import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { dataDir } from "@/lib/config";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or an open transaction: use cases accept both so they compose. */
export type Executor = Db | Tx;

type Handle = { db: Db; kind: "postgres" | "pglite"; close: () => Promise<void> };

const globalForDb = globalThis as unknown as { __dbHandle?: Promise<Handle> };

async function open(): Promise<Handle> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(url, {
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      onnotice: () => {},
      connect_timeout: 5,
    });
    return { db: drizzle(client, { schema }) as unknown as Db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = process.env.PGLITE_DIR ?? path.join(dataDir(), "pglite");
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  await client.waitReady;
  return { db: drizzle(client, { schema }) as unknown as Db, kind: "pglite", close: () => client.close() };
}

function handle(): Promise<Handle> {
  globalForDb.__dbHandle ??= open().catch((error) => {
    globalForDb.__dbHandle = undefined;
    throw error;
  });
  return globalForDb.__dbHandle;
}

/** Runs a hand-written statement (one round trip) and returns its rows, whichever driver is behind `db`. */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

export async function getDb(): Promise<Db> {
  return (await handle()).db;
}

export async function dbKind() {
  return (await handle()).kind;
}

export async function closeDb() {
  const h = globalForDb.__dbHandle;
  globalForDb.__dbHandle = undefined;
  if (h) await (await h).close();
}

/** True for errors that mean "the database is unreachable", as opposed to a bug or bad data. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; cause?: unknown; message?: string } | undefined;
  if (!e) return false;
  const codes = [
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
    "CONNECT_TIMEOUT",
    "CONNECTION_CLOSED",
    "CONNECTION_ENDED",
    "CONNECTION_DESTROYED",
    "57P01",
    "57P02",
    "57P03",
    "08006",
    "08001",
    "08003",
    "08004",
  ];
  if (e.code && codes.includes(e.code)) return true;
  if (e.cause && e.cause !== error) return isDatabaseUnavailable(e.cause);
  return false;
}
