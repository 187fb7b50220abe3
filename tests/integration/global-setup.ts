/**
 * TEST_DB=postgres: a fresh database on the server of DATABASE_URL for this run, migrated once,
 * dropped afterwards. Otherwise every test file gets its own in-memory PGlite (setup.ts).
 */
import postgres from "postgres";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  if (process.env.TEST_DB !== "postgres") return;
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("TEST_DB=postgres needs DATABASE_URL");
  const name = `it_${Date.now()}_${process.pid}`;
  const admin = postgres(base, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  project.provide("databaseUrl", url.toString());
  const { runMigrations } = await import("../../lib/db/migrate");
  const { closeDb } = await import("../../lib/db/client");
  await runMigrations();
  await closeDb();
  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
