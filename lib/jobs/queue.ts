/**
 * The job table (lib/db/schema-alerts.ts `jobs`) as a queue shared by every app instance.
 *
 * - enqueue: INSERT … ON CONFLICT (key) DO NOTHING. The key names the thing to do once (kind,
 *   organisation, period or event, recipient), so planning the same reminder on two instances, or twice
 *   after a restart, makes one row.
 * - claim: one UPDATE over `SELECT … FOR UPDATE SKIP LOCKED`: concurrent runners never take the same
 *   row; each claimed row gets a lease (`locked_until`) so a runner that died mid-job releases it.
 * - finish / fail: only by the runner holding the lease; a failure is retried later with a back-off,
 *   then given up (`outcome` = failed) after MAX_ATTEMPTS.
 *
 * Every time is an argument (`now`): tests drive the clock; the app passes `new Date()`.
 */
import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { jobs } from "@/lib/db/schema";

export const JOB_KINDS = ["alert", "reminder", "digest", "incident"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type NewJob = { key: string; kind: JobKind; orgId: string | null; payload: Record<string, unknown>; runAt?: Date };
export type Job = typeof jobs.$inferSelect;

export const MAX_ATTEMPTS = 5;
export const LEASE_SECONDS = 300;

/** Adds the jobs whose keys are new (one statement); returns how many were added. */
export async function enqueueJobs(db: Executor, rows: NewJob[]): Promise<number> {
  if (rows.length === 0) return 0;
  const added = await db
    .insert(jobs)
    .values(rows.map((r) => ({ key: r.key, kind: r.kind, orgId: r.orgId, payload: r.payload, runAt: r.runAt ?? new Date() })))
    .onConflictDoNothing({ target: jobs.key })
    .returning({ id: jobs.id });
  return added.length;
}

/** Takes up to `limit` due jobs for `workerId` (skipping rows another runner holds) under a lease. */
export async function claimDueJobs(
  db: Executor,
  options: { now: Date; workerId: string; limit?: number; orgIds?: string[] },
): Promise<Job[]> {
  const { now, workerId } = options;
  const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        isNull(jobs.doneAt),
        lte(jobs.runAt, now),
        or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)),
        lt(jobs.attempts, MAX_ATTEMPTS),
        options.orgIds ? inArray(jobs.orgId, options.orgIds) : undefined,
      ),
    )
    .orderBy(jobs.runAt, jobs.id)
    .limit(options.limit ?? 50)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({ lockedUntil: leaseUntil, lockedBy: workerId, attempts: sql`${jobs.attempts} + 1` })
    .where(inArray(jobs.id, due))
    .returning();
}

/** Done for good (sent, or skipped because it no longer applies); false if the lease was lost. */
export async function finishJob(db: Executor, job: Pick<Job, "id">, workerId: string, outcome: "sent" | "skipped", now: Date) {
  const rows = await db
    .update(jobs)
    .set({ doneAt: now, outcome, lockedUntil: null })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), isNull(jobs.doneAt)))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/**
 * Forgets jobs done more than `days` ago. Safe for dedupe: every key names a past event, grace end or
 * week, which the planner never enqueues again once it is that old.
 */
export async function pruneDoneJobs(db: Executor, now: Date, options: { days?: number; orgIds?: string[] } = {}) {
  const before = new Date(now.getTime() - (options.days ?? 90) * 24 * 3600 * 1000);
  const gone = await db
    .delete(jobs)
    .where(and(lt(jobs.doneAt, before), options.orgIds ? inArray(jobs.orgId, options.orgIds) : undefined))
    .returning({ id: jobs.id });
  return gone.length;
}

/** A failed try: retried after 1, 4, 9, 16 minutes; the last try ends the job as failed. */
export async function failJob(db: Executor, job: Pick<Job, "id" | "attempts">, workerId: string, errorKind: string, now: Date) {
  const last = job.attempts >= MAX_ATTEMPTS;
  await db
    .update(jobs)
    .set({
      lastError: errorKind.slice(0, 200),
      lockedUntil: null,
      runAt: new Date(now.getTime() + job.attempts * job.attempts * 60_000),
      ...(last ? { doneAt: now, outcome: "failed" } : {}),
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)));
}
