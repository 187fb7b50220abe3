/** Shared set-up for the admin-alert, reminder and digest tests: an organisation with two admins and agents. */
import { and, asc, eq, like } from "drizzle-orm";
import type { AlertKind } from "@/lib/alerts/kinds";
import { jobWiring } from "@/lib/alerts/wiring";
import { getDb, type Db } from "@/lib/db/client";
import { alertOptOuts, auditEvents, devMail, jobs, organizations } from "@/lib/db/schema";
import { runJobsOnce } from "@/lib/jobs/runner";
import { createUser, orgWithAdmin } from "./factories";
import { addFactor } from "./temp-code-world";

/** Two admins (the second switched `off` off), two agents; every account with an authenticator unless told. */
export async function alertWorld(orgValues: Partial<typeof organizations.$inferInsert> = {}, off: AlertKind[] = []) {
  const db = await getDb();
  const { org, admin } = await orgWithAdmin({ name: "Alert Org", ...orgValues });
  await addFactor(admin);
  const admin2 = await createUser(org.id, { role: "admin", name: "Second Admin" });
  await addFactor(admin2);
  if (off.length) await db.insert(alertOptOuts).values(off.map((kind) => ({ userId: admin2.id, orgId: org.id, kind })));
  const agent = await createUser(org.id, { name: "Agent Alice" });
  await addFactor(agent);
  const agent2 = await createUser(org.id, { name: "Agent Bob" });
  return { org, admin, admin2, agent, agent2 };
}

/** One pass of the job runner with the test's clock. */
/** One pass of the job runner with the test's clock, for `orgIds` only (other test files share a PostgreSQL database). */
export async function runJobs(orgIds: string[], now = new Date(), db?: Db, workerId?: string) {
  return runJobsOnce(db ?? (await getDb()), jobWiring, { now, workerId, orgIds });
}

export async function mails(email: string, subject?: string) {
  const db = await getDb();
  return db
    .select()
    .from(devMail)
    .where(and(eq(devMail.to, email), subject ? like(devMail.subject, `%${subject}%`) : undefined))
    .orderBy(asc(devMail.id));
}

export async function sentAudits(orgId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.event, "notification.sent")))
    .orderBy(asc(auditEvents.id));
}

export async function jobsOf(orgId: string) {
  const db = await getDb();
  return db.select().from(jobs).where(eq(jobs.orgId, orgId)).orderBy(asc(jobs.id));
}
