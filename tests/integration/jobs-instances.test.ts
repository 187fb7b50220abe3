/**
 * Issue #17: the job runner runs each job once across several app instances. Two runners, each with its
 * own connection pool (two "instances"), plan and run at the same moment on one PostgreSQL database:
 * every reminder, digest and alert is enqueued once (unique keys) and sent once (claims with
 * FOR UPDATE SKIP LOCKED). A runner that dies holding a job releases it when its lease runs out.
 * PostgreSQL only: PGlite is one embedded database per process (there the runner is single-process).
 */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { alertAdmins } from "@/lib/alerts/admin-alerts";
import { getDb, type Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { claimDueJobs, LEASE_SECONDS } from "@/lib/jobs/queue";
import { graceUntilFromLastDay } from "@/lib/mfa/policy";
import { alertWorld, jobsOf, mails, runJobs, sentAudits } from "./alerts-world";
import { createUser } from "./factories";

const onPostgres = process.env.TEST_DB === "postgres";
const clients: postgres.Sql[] = [];

function instance(name: string): Db {
  const client = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {}, connection: { application_name: name } });
  clients.push(client);
  return drizzle(client, { schema }) as unknown as Db;
}

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "");
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
});

describe.skipIf(!onPostgres)("the job runner on several instances (PostgreSQL only)", () => {
  it("two instances planning and running at the same moment send each reminder, digest and alert once", async () => {
    const a = instance("jobs-a");
    const b = instance("jobs-b");
    // Monday 8 March 2027, 7 days before the last day: reminders and the digest are due together.
    const w = await alertWorld({ require2fa: true, graceUntil: graceUntilFromLastDay("2027-03-15")!, timeZone: "UTC" });
    const late = await Promise.all(Array.from({ length: 8 }, (_, i) => createUser(w.org.id, { name: `Late ${i}` })));
    for (let i = 0; i < 5; i++) {
      await alertAdmins(await getDb(), { kind: "mfa-locked", orgId: w.org.id, member: w.agent, ref: `race-${i}` });
    }
    const now = new Date("2027-03-08T10:00:00Z");
    const passes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => runJobs([w.org.id], now, i % 2 ? a : b, `instance-${i % 2 ? "a" : "b"}-${i}`)),
    );
    const sent = passes.reduce((n, p) => n + p.sent, 0);
    // 9 members without 2FA (agent2 + 8) get a reminder; 2 admins get the digest; 2 admins × 5 lockouts.
    expect(sent).toBe(9 + 2 + 10);
    const all = await jobsOf(w.org.id);
    expect(all).toHaveLength(21);
    expect(all.every((j) => j.outcome === "sent" && j.attempts === 1)).toBe(true);
    for (const m of [w.agent2, ...late]) expect(await mails(m.email, "Set up two-factor")).toHaveLength(1);
    for (const admin of [w.admin, w.admin2]) {
      expect(await mails(admin.email, "weekly 2FA digest")).toHaveLength(1);
      expect(await mails(admin.email, "admin alert")).toHaveLength(5);
    }
    expect(await sentAudits(w.org.id)).toHaveLength(21);
  });

  it("a job held by a runner that died is taken again only after its lease, by one runner", async () => {
    const a = instance("jobs-lease-a");
    const b = instance("jobs-lease-b");
    const w = await alertWorld();
    await alertAdmins(await getDb(), { kind: "mfa-off", orgId: w.org.id, member: w.agent, ref: "lease" });
    const now = new Date();
    const taken = await claimDueJobs(a, { now, workerId: "dead", orgIds: [w.org.id] }); // then "dies"
    expect(taken).toHaveLength(2);
    expect(await runJobs([w.org.id], now, b, "alive")).toMatchObject({ sent: 0 });
    const later = new Date(now.getTime() + (LEASE_SECONDS + 1) * 1000);
    const [x, y] = await Promise.all([runJobs([w.org.id], later, a, "a2"), runJobs([w.org.id], later, b, "b2")]);
    expect(x.sent + y.sent).toBe(2);
    expect(await mails(w.admin.email, "admin alert")).toHaveLength(1);
    const db = await getDb();
    const rows = await db.select({ attempts: schema.jobs.attempts }).from(schema.jobs).where(eq(schema.jobs.orgId, w.org.id));
    expect(rows.map((r) => r.attempts)).toEqual([2, 2]);
  });
});
