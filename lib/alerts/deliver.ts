/**
 * Sending one job's email (the handlers of the job runner, lib/jobs/runner.ts). Each first checks the job
 * still applies at the time it runs (recipient active; an admin still an admin with the kind switched on;
 * a member reminded only while they still have no second factor), then builds the message from the
 * shared templates, sends it, and records `notification.sent` (kind, job key; never the content).
 * A job that no longer applies ends as "skipped"; a sending failure is retried by the runner.
 */
import { and, eq, isNull } from "drizzle-orm";
import { audit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { organizations, users } from "@/lib/db/schema";
import type { Job, JobKind } from "@/lib/jobs/queue";
import type { JobHandler } from "@/lib/jobs/runner";
import { sendMail } from "@/lib/mail";
import type { Email } from "@/lib/mail/templates";
import { graceDaysLeft, lastGraceDay, mfaRequirement } from "@/lib/mfa/policy";
import { computeDigest, digestEmail } from "./digest";
import { ALERT_KINDS, type AlertKind } from "./kinds";
import { graceEndedEmail, incidentEmail, memberAlertEmail, reminderEmail, type AlertDetail } from "./messages";
import { membersWithout2fa, stillWantsAlert } from "./recipients";

/** Links in emails: NEXTAUTH_URL (required in production); never a request's Host (there is no request here). */
const base = () => (process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");

async function recipientOf(db: Db, job: Job) {
  const recipientId = String(job.payload.recipientId ?? "");
  if (!job.orgId || !/^[0-9a-f-]{36}$/i.test(recipientId)) return null;
  const [row] = await db
    .select({ user: users, org: organizations })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(users.id, recipientId), eq(users.orgId, job.orgId), isNull(users.deactivatedAt)));
  return row && row.user.passwordHash ? row : null;
}

async function send(db: Db, job: Job, to: { id: string; email: string; orgId: string }, email: Email, kind: string) {
  await sendMail({ to: to.email, ...email });
  await audit(db, {
    orgId: to.orgId,
    event: "notification.sent",
    actorType: "system",
    targetUserId: to.id,
    detail: {
      kind,
      job: job.key,
      ...(typeof job.payload.member === "object" ? { about: (job.payload.member as { id?: string }).id } : {}),
    },
  });
  return "sent" as const;
}

const alert: JobHandler = async (db, job, now) => {
  const kind = job.payload.alert as AlertKind;
  if (!ALERT_KINDS.includes(kind)) return "skipped";
  const row = await recipientOf(db, job);
  if (!row || row.user.role !== "admin" || !(await stillWantsAlert(db, row.org.id, row.user.id, kind))) return "skipped";
  const to = { orgName: row.org.name, userName: row.user.name };
  if (kind === "grace-ended") {
    const members = await membersWithout2fa(db, row.org);
    if (members.length === 0) return "skipped";
    const graceUntil = new Date(String(job.payload.graceUntil));
    return send(db, job, row.user, graceEndedEmail(to, { lastDay: lastGraceDay(graceUntil), members }, base()), kind);
  }
  if (kind === "weekly-digest") return "skipped";
  const p = job.payload as unknown as Omit<AlertDetail, "at"> & { at: string };
  const detail: AlertDetail = { ...p, at: new Date(p.at ?? now) };
  return send(db, job, row.user, memberAlertEmail(kind, to, detail, base()), kind);
};

const reminder: JobHandler = async (db, job, now) => {
  const row = await recipientOf(db, job);
  if (!row) return "skipped";
  const { org, user } = row;
  const graceUntil = new Date(String(job.payload.graceUntil));
  // The grace period changed or ended, or the member enrolled (or is now required without grace): no reminder.
  if (!org.require2fa || org.graceUntil?.getTime() !== graceUntil.getTime() || graceUntil <= now) return "skipped";
  if (!mfaRequirement(org, user, now).canSkip) return "skipped";
  if ((await membersWithout2fa(db, org, { graceOnly: true, userIds: [user.id] })).length === 0) return "skipped";
  const email = reminderEmail(
    { orgName: org.name, userName: user.name },
    { daysLeft: graceDaysLeft(graceUntil, now), lastDay: lastGraceDay(graceUntil) },
    base(),
  );
  return send(db, job, user, email, `reminder-${job.payload.stage}`);
};

const digest: JobHandler = async (db, job, now) => {
  const row = await recipientOf(db, job);
  if (!row || row.user.role !== "admin" || !(await stillWantsAlert(db, row.org.id, row.user.id, "weekly-digest"))) return "skipped";
  if (!(row.org.require2fa || row.org.weeklyDigest)) return "skipped";
  const end = new Date(String(job.payload.weekEnding ?? now.toISOString()));
  const d = await computeDigest(db, { id: row.user.id, orgId: row.org.id }, end);
  const day = (t: Date) => t.toISOString().slice(0, 10);
  const week = { from: day(new Date(end.getTime() - 7 * 24 * 3600 * 1000)), to: day(end) };
  return send(db, job, row.user, digestEmail({ orgName: row.org.name, userName: row.user.name }, d, week, base()), "weekly-digest");
};

const incident: JobHandler = async (db, job) => {
  const row = await recipientOf(db, job);
  if (!row) return "skipped";
  const action = job.payload.action === "mfa-reset" ? "mfa-reset" : "signed-out";
  const email = incidentEmail(
    { orgName: row.org.name, userName: row.user.name },
    { action, reason: String(job.payload.reason ?? "") },
    base(),
  );
  return send(db, job, row.user, email, `incident-${action}`);
};

export const handlers: Record<JobKind, JobHandler> = { alert, reminder, digest, incident };
