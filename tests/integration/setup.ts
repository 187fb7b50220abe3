import { afterAll, beforeAll, inject } from "vitest";

process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.NEXTAUTH_SECRET ??= "integration-test-secret";

if (process.env.TEST_DB === "postgres") {
  process.env.DATABASE_URL = inject("databaseUrl");
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = "memory://";
}

beforeAll(async () => {
  if (process.env.TEST_DB !== "postgres") {
    const { runMigrations } = await import("@/lib/db/migrate");
    await runMigrations();
  }
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/client");
  await closeDb();
});
