import path from "node:path";
import { dbKind, getDb } from "./client";

/** Applies drizzle/ migrations; the same SQL serves PGlite and PostgreSQL. */
export async function runMigrations() {
  const db = await getDb();
  const migrationsFolder = path.join(process.cwd(), "drizzle");
  if ((await dbKind()) === "postgres") {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(db as never, { migrationsFolder });
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(db as never, { migrationsFolder });
  }
}
