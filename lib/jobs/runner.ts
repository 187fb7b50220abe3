/**
 * Runs due jobs (lib/jobs/queue.ts) in this process: every `intervalMs`, and soon after wakeJobRunner()
 * (called when something was just enqueued). Before each pass it runs `plan` (which enqueues what the
 * clock makes due: reminders, digests; idempotent through the jobs' unique keys). Several instances may
 * run it against one database: claims skip rows another runner holds, so each job runs once.
 *
 * Started by server.ts (dev, start, e2e), never by `next build` or the operator scripts. `runJobsOnce`
 * is the same pass without timers, for tests (with their own clock) and for the loop below.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { claimDueJobs, failJob, finishJob, type Job, type JobKind } from "./queue";

export type JobHandler = (db: Db, job: Job, now: Date) => Promise<"sent" | "skipped">;
/** `orgIds`: only these organisations (tests that share a database with others); unset: all. */
export type JobWiring = { handlers: Record<JobKind, JobHandler>; plan: (db: Db, now: Date, orgIds?: string[]) => Promise<unknown> };
export type PassResult = { sent: number; skipped: number; failed: number };

/** The kind of failure only (an error message may quote what it was given). */
function errorKind(error: unknown) {
  const e = error as { name?: string; code?: unknown } | undefined;
  return [e?.name ?? "error", typeof e?.code === "string" ? e.code : null].filter(Boolean).join(" ");
}

/** Plans, then runs every due job (in batches) until none is left for this runner. */
export async function runJobsOnce(
  db: Db,
  wiring: JobWiring,
  options: { now: Date; workerId?: string; plan?: boolean; orgIds?: string[] },
): Promise<PassResult> {
  const { now } = options;
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  if (options.plan !== false) await wiring.plan(db, now, options.orgIds);
  const result: PassResult = { sent: 0, skipped: 0, failed: 0 };
  for (;;) {
    const batch = await claimDueJobs(db, { now, workerId, limit: 20, orgIds: options.orgIds });
    if (batch.length === 0) return result;
    for (const job of batch) {
      try {
        const outcome = await wiring.handlers[job.kind as JobKind](db, job, now);
        await finishJob(db, job, workerId, outcome, now);
        result[outcome] += 1;
      } catch (error) {
        console.error(`[jobs] ${job.kind} job ${job.id} failed: ${errorKind(error)}`);
        await failJob(db, job, workerId, errorKind(error), now);
        result.failed += 1;
      }
    }
  }
}

const WAKE = Symbol.for("guardian.job-runner.wake");
type Global = Record<symbol, (() => void) | undefined>;

/** Asks this process's runner (if one is started) for a pass soon: a job was just enqueued. */
export function wakeJobRunner() {
  (globalThis as unknown as Global)[WAKE]?.();
}

/** The loop: one pass at a time; `stop()` ends it. */
export function startJobRunner(getDb: () => Promise<Db>, wiring: JobWiring, options: { intervalMs?: number; clock?: () => Date } = {}) {
  const workerId = `worker-${randomUUID()}`;
  const clock = options.clock ?? (() => new Date());
  let running = false;
  let again = false;
  let stopped = false;
  const pass = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await runJobsOnce(await getDb(), wiring, { now: clock(), workerId });
      } while (again && !stopped);
    } catch (error) {
      console.error(`[jobs] pass failed: ${errorKind(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(pass, options.intervalMs ?? 30_000);
  timer.unref();
  const first = setTimeout(pass, 1_000);
  first.unref();
  (globalThis as unknown as Global)[WAKE] = () => {
    const t = setTimeout(pass, 50);
    t.unref();
  };
  return {
    workerId,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      (globalThis as unknown as Global)[WAKE] = undefined;
    },
  };
}
