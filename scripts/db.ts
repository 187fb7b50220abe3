/** npm run db:migrate | db:seed | db:setup (both). Runs in its own process, then closes the database. */
import { closeDb, dbKind, getDb } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { seedDemo } from "@/lib/db/seed";

const command = process.argv[2] ?? "setup";

async function main() {
  if (command === "migrate" || command === "setup") {
    await runMigrations();
    console.log(`Migrations applied (${await dbKind()}).`);
  }
  if (command === "seed" || command === "setup") {
    const { created } = await seedDemo(await getDb());
    console.log(created ? "Demo organisation 'Acme Support' created." : "Demo organisation already present.");
  }
}

main()
  .then(() => closeDb())
  .catch(async (error) => {
    console.error(error instanceof Error ? error.message : error);
    await closeDb().catch(() => {});
    process.exit(1);
  });
