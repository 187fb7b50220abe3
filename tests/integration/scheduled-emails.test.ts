/**
 * Issue #17, the clock-driven emails, with the runner's clock injected: reminders to members who have not
 * set up 2FA (7 days, 1 day before the last day, on the day; no repeats, none after they enrol), "the
 * grace period ended" to admins (one email listing who is not set up), and the weekly digest on Monday
 * morning in the organisation's time zone (contents on a seeded organisation).
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { computeDigest } from "@/lib/alerts/digest";
import { reminderStage } from "@/lib/alerts/planner";
import { isDigestTime } from "@/lib/alerts/time-zone";
import { getDb } from "@/lib/db/client";
import { auditEvents, organizations, users } from "@/lib/db/schema";
import { graceUntilFromLastDay } from "@/lib/mfa/policy";
import { alertWorld, jobsOf, mails, runJobs, sentAudits } from "./alerts-world";
import { createUser } from "./factories";
import { addFactor } from "./temp-code-world";

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "");
});

const at = (iso: string) => new Date(iso);

describe("reminders to members who have not set up 2FA", () => {
  it("the stages follow the days left: 7 from a week before, 1 the day before, 0 on the last day", () => {
    expect([30, 8, 7, 6, 2, 1, 0].map(reminderStage)).toEqual([null, null, 7, 7, 7, 1, 0]);
  });

  it("7 days before, 1 day before and on the last day, once each; none after enrolling; none after the deadline", async () => {
    const graceUntil = graceUntilFromLastDay("2027-03-15")!;
    const w = await alertWorld({ require2fa: true, graceUntil });
    const late = await createUser(w.org.id, { name: "Late Larry" });
    const run = (iso: string) => runJobs([w.org.id], at(iso));
    const reminders = (email: string) => mails(email, "Set up two-factor authentication for");

    await run("2027-03-01T10:00:00Z"); // 14 days left
    expect(await reminders(w.agent2.email)).toHaveLength(0);
    await run("2027-03-08T10:00:00Z"); // 7 days left
    await run("2027-03-08T18:00:00Z");
    await run("2027-03-09T10:00:00Z"); // 6 days: still the 7-day stage, already sent
    const week = await reminders(w.agent2.email);
    expect(week).toHaveLength(1);
    expect(week[0]!.subject).toContain("7 days left");
    expect(await reminders(late.email)).toHaveLength(1);
    // Agents with an authenticator and the admins get nothing.
    expect(await reminders(w.agent.email)).toHaveLength(0);
    expect(await reminders(w.admin.email)).toHaveLength(0);

    await addFactor(late); // Larry enrols: no more reminders for him
    await run("2027-03-14T09:00:00Z"); // 1 day left
    await run("2027-03-14T23:00:00Z");
    await run("2027-03-15T00:30:00Z"); // the last day
    await run("2027-03-15T23:59:00Z");
    const all = await reminders(w.agent2.email);
    expect(all.map((m) => m.subject.replace(/.*: /, ""))).toEqual(["7 days left", "1 day left", "today is the last day"]);
    expect(all[2]!.text).toContain("/security/two-factor");
    expect(await reminders(late.email)).toHaveLength(1);

    await run("2027-03-16T10:00:00Z"); // grace over: no reminder, admins told once
    await run("2027-03-17T10:00:00Z");
    expect(await reminders(w.agent2.email)).toHaveLength(3);
    const ended = await mails(w.admin.email, "grace period ended");
    expect(ended).toHaveLength(1);
    expect(ended[0]!.subject).toContain("1 member not set up");
    expect(ended[0]!.text).toContain(w.agent2.email);
    expect(ended[0]!.text).not.toContain(late.email);
    expect(ended[0]!.text).toContain("/admin/members?status=overdue");
    expect(await mails(w.admin2.email, "grace period ended")).toHaveLength(1);
    expect(await mails(w.agent2.email, "grace period ended")).toHaveLength(0);
    // Every email sent is audited (the weekly digest went out too: 1, 8 and 15 March 2027 are Mondays).
    const kinds = (await sentAudits(w.org.id)).map((a) => String(a.detail.kind));
    expect(kinds.filter((k) => k.startsWith("reminder-")).sort()).toEqual(["reminder-0", "reminder-1", "reminder-7", "reminder-7"]);
    expect(kinds.filter((k) => k === "grace-ended")).toHaveLength(2);
    expect(kinds.filter((k) => k === "weekly-digest")).toHaveLength(3 * 2);
  });

  it("a member required individually (no grace) or a new grace date: no stale reminders; a new date starts afresh", async () => {
    const db = await getDb();
    const w = await alertWorld({ require2fa: true, graceUntil: graceUntilFromLastDay("2027-03-15")! });
    await db.update(users).set({ mfaEnforced: true }).where(eq(users.id, w.agent2.id));
    const bob = await createUser(w.org.id, { name: "Bob Later" });
    await runJobs([w.org.id], at("2027-03-08T10:00:00Z"));
    expect(await mails(w.agent2.email, "Set up two-factor")).toHaveLength(0);
    expect(await mails(bob.email, "Set up two-factor")).toHaveLength(1);
    // The admin moves the last day: the 7-day reminder of the new date is a new one.
    await db
      .update(organizations)
      .set({ graceUntil: graceUntilFromLastDay("2027-03-22")! })
      .where(eq(organizations.id, w.org.id));
    await runJobs([w.org.id], at("2027-03-15T10:00:00Z"));
    expect(await mails(bob.email, "Set up two-factor")).toHaveLength(2);
  });
});

describe("weekly compliance digest", () => {
  it("Monday from 08:00 in the organisation's time zone, once a week, to admins who keep it on", async () => {
    expect(isDigestTime(at("2027-03-08T12:00:00Z"), "America/New_York")).toBe(false); // 07:00 there
    expect(isDigestTime(at("2027-03-08T13:30:00Z"), "America/New_York")).toBe(true);
    expect(isDigestTime(at("2027-03-08T07:30:00Z"), "Europe/Paris")).toBe(true); // 08:30 there
    expect(isDigestTime(at("2027-03-07T23:30:00Z"), "Asia/Tokyo")).toBe(true); // Monday 08:30 there
    const w = await alertWorld({ require2fa: true, graceUntil: graceUntilFromLastDay("2027-03-20")!, timeZone: "America/New_York" }, [
      "weekly-digest",
    ]);
    for (const iso of ["2027-03-07T15:00:00Z", "2027-03-08T12:00:00Z"]) await runJobs([w.org.id], at(iso));
    expect(await mails(w.admin.email, "weekly 2FA digest")).toHaveLength(0);
    for (const iso of ["2027-03-08T13:30:00Z", "2027-03-08T20:00:00Z", "2027-03-09T13:30:00Z"]) await runJobs([w.org.id], at(iso));
    expect(await mails(w.admin.email, "weekly 2FA digest")).toHaveLength(1);
    expect(await mails(w.admin2.email, "weekly 2FA digest")).toHaveLength(0); // switched off
    expect(await mails(w.agent.email, "weekly 2FA digest")).toHaveLength(0);
    await runJobs([w.org.id], at("2027-03-15T13:30:00Z"));
    expect(await mails(w.admin.email, "weekly 2FA digest")).toHaveLength(2);
    expect((await jobsOf(w.org.id)).filter((j) => j.kind === "digest").map((j) => j.key.split(":")[2])).toEqual([
      "2027-03-08",
      "2027-03-15",
    ]);
  });

  it("is sent only when 2FA is required for everyone or the digest is switched on", async () => {
    const db = await getDb();
    const w = await alertWorld({ timeZone: "UTC" });
    await runJobs([w.org.id], at("2027-03-08T09:00:00Z"));
    expect(await mails(w.admin.email, "weekly 2FA digest")).toHaveLength(0);
    await db.update(organizations).set({ weeklyDigest: true }).where(eq(organizations.id, w.org.id));
    await runJobs([w.org.id], at("2027-03-08T10:00:00Z"));
    expect(await mails(w.admin.email, "weekly 2FA digest")).toHaveLength(1);
  });

  it("counts members with 2FA by method, lists who is not set up with their deadline, the week's lockouts and resets, with filtered links", async () => {
    const db = await getDb();
    const w = await alertWorld({ require2fa: true, graceUntil: graceUntilFromLastDay("2027-03-20")!, timeZone: "Europe/Paris" });
    const emailUser = await createUser(w.org.id, { name: "Emma Email" });
    await addFactor(emailUser, "email");
    const gone = await createUser(w.org.id, { name: "Gone Gary", deactivatedAt: new Date() });
    const forced = await createUser(w.org.id, { name: "Forced Fay", mfaEnforced: true });
    await db.insert(auditEvents).values([
      { orgId: w.org.id, event: "mfa.locked", targetUserId: w.agent.id, createdAt: at("2027-03-05T10:00:00Z") },
      { orgId: w.org.id, event: "mfa.locked", targetUserId: w.agent.id, createdAt: at("2027-03-06T10:00:00Z") },
      { orgId: w.org.id, event: "mfa.locked", targetUserId: w.agent2.id, createdAt: at("2027-02-20T10:00:00Z") }, // the week before
      { orgId: w.org.id, event: "admin.mfa.removed", targetUserId: emailUser.id, createdAt: at("2027-03-04T10:00:00Z") },
    ]);
    const now = at("2027-03-08T08:00:00Z"); // 09:00 in Paris
    const d = await computeDigest(db, { id: w.admin.id, orgId: w.org.id }, now);
    expect(d).toMatchObject({
      members: 6,
      with2fa: 4,
      byMethod: { totp: 3, email: 1, webauthn: 0 },
      resets: 1,
      lockouts: [{ name: "Agent Alice", count: 2 }],
    });
    expect(d.notEnrolled).toEqual([
      { name: "Agent Bob", email: w.agent2.email, deadline: "by 2027-03-20", status: "due" },
      { name: "Forced Fay", email: forced.email, deadline: "overdue: required now", status: "overdue" },
    ]);
    expect(JSON.stringify(d)).not.toContain(gone.email);

    await runJobs([w.org.id], now);
    const [mail] = await mails(w.admin.email, "weekly 2FA digest");
    expect(mail!.subject).toContain("4 of 6 members protected");
    expect(mail!.text).toContain("Authenticator app: 3. Security key or passkey: 0. Email codes: 1.");
    expect(mail!.text).toContain(`Agent Bob (${w.agent2.email}): by 2027-03-20`);
    expect(mail!.text).toContain("Lockouts this week: 2. Admin 2FA resets this week: 1.");
    for (const status of ["enabled", "due", "overdue", "locked"]) expect(mail!.text).toContain(`/admin/members?status=${status}`);
    expect(mail!.text).toContain("In the grace period (1): ");
    expect(mail!.text).toContain("Overdue (required now) (1): ");
    expect(mail!.text).not.toContain("status=not_set_up"); // nobody in that group
    expect(mail!.html).toContain("Agent Alice: 2 times");
  });
});
