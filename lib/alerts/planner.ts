/**
 * What the clock makes due, enqueued as jobs with keys that make each one happen once (lib/jobs/queue.ts):
 *
 * - reminders to members who have not set up 2FA during the organisation's grace period: 7 days before
 *   the last day, 1 day before, and on the last day (`graceDaysLeft`, UTC calendar days like the grace
 *   period itself). Keyed by (grace end, stage, member): no repeats, and a new grace date starts afresh.
 *   A runner that was down catches up with the latest stage only, never a pile of stale ones.
 * - "the grace period ended" to admins: once per grace end, listing who is still not set up (within
 *   GRACE_ENDED_WINDOW of the end, so an old grace date does not alert on a first start).
 * - the weekly digest to admins: Mondays from DIGEST_HOUR in the organisation's time zone, keyed by that
 *   local date, when 2FA is required for everyone or the digest is switched on.
 *
 * Who is no longer concerned when the job runs (enrolled, switched the alert off) is skipped then. Jobs
 * done more than 90 days ago are forgotten here too (their keys can no longer come back).
 */
import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { organizations } from "@/lib/db/schema";
import { enqueueJobs, pruneDoneJobs, type NewJob } from "@/lib/jobs/queue";
import { graceDaysLeft } from "@/lib/mfa/policy";
import { alertRecipients, membersWithout2fa } from "./recipients";
import { isDigestTime, localTime } from "./time-zone";

export const GRACE_ENDED_WINDOW_MS = 3 * 24 * 3600 * 1000;

/** The reminder stage for `daysLeft` in a grace period: 7 (from 7 days left), 1, 0 (the last day), or none. */
export function reminderStage(daysLeft: number): 7 | 1 | 0 | null {
  if (daysLeft <= 0) return 0;
  if (daysLeft <= 1) return 1;
  if (daysLeft <= 7) return 7;
  return null;
}

type Org = typeof organizations.$inferSelect;

async function planReminders(db: Db, org: Org, now: Date): Promise<NewJob[]> {
  if (!org.require2fa || !org.graceUntil || org.graceUntil <= now) return [];
  const stage = reminderStage(graceDaysLeft(org.graceUntil, now));
  if (stage === null) return [];
  const members = await membersWithout2fa(db, { ...org, id: org.id }, { graceOnly: true });
  const grace = org.graceUntil.toISOString();
  return members.map((m) => ({
    key: `reminder:${org.id}:${grace}:${stage}:${m.id}`,
    kind: "reminder" as const,
    orgId: org.id,
    payload: { recipientId: m.id, stage, graceUntil: grace },
  }));
}

async function planGraceEnded(db: Db, org: Org, now: Date): Promise<NewJob[]> {
  if (!org.require2fa || !org.graceUntil || org.graceUntil > now) return [];
  if (now.getTime() - org.graceUntil.getTime() > GRACE_ENDED_WINDOW_MS) return [];
  const missing = await membersWithout2fa(db, { ...org, id: org.id });
  if (missing.length === 0) return [];
  const grace = org.graceUntil.toISOString();
  const admins = await alertRecipients(db, org.id, "grace-ended");
  return admins.map((a) => ({
    key: `grace-ended:${org.id}:${grace}:${a.id}`,
    kind: "alert" as const,
    orgId: org.id,
    payload: { alert: "grace-ended", recipientId: a.id, graceUntil: grace },
  }));
}

async function planDigest(db: Db, org: Org, now: Date): Promise<NewJob[]> {
  if (!(org.require2fa || org.weeklyDigest) || !isDigestTime(now, org.timeZone)) return [];
  const day = localTime(now, org.timeZone).date;
  const admins = await alertRecipients(db, org.id, "weekly-digest");
  return admins.map((a) => ({
    key: `digest:${org.id}:${day}:${a.id}`,
    kind: "digest" as const,
    orgId: org.id,
    payload: { recipientId: a.id, weekEnding: now.toISOString(), localDate: day },
  }));
}

/** Enqueues everything due at `now` for every organisation that may need something; returns how many jobs were new. */
export async function planScheduledJobs(db: Db, now: Date, orgIds?: string[]) {
  const orgs = await db
    .select()
    .from(organizations)
    .where(
      and(
        or(eq(organizations.weeklyDigest, true), eq(organizations.require2fa, true)),
        orgIds ? inArray(organizations.id, orgIds) : undefined,
      ),
    );
  await pruneDoneJobs(db, now, { orgIds });
  let added = 0;
  for (const org of orgs) {
    const rows = [...(await planReminders(db, org, now)), ...(await planGraceEnded(db, org, now)), ...(await planDigest(db, org, now))];
    added += await enqueueJobs(db, rows);
  }
  return added;
}
