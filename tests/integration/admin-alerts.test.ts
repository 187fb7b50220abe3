/**
 * Issue #17: admins hear about 2FA trouble by email, once, only admins, each respecting their own
 * switches: a member turns 2FA off (or removes their last factor), is locked out, uses a temporary access
 * code, uses their last-but-two recovery code. Sent by the job runner, audited as sent, no secret inside.
 */
import { eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { issueTempCode } from "@/lib/admin/temp-codes";
import { getAlertPrefs, updateAlertPrefs } from "@/lib/alerts/prefs";
import { MFA_LIMIT } from "@/lib/attempts";
import { getDb } from "@/lib/db/client";
import { mfaFactors, recoveryCodes } from "@/lib/db/schema";
import { disableMfa, removeFactor } from "@/lib/mfa/manage";
import { replaceRecoveryCodes } from "@/lib/mfa/recovery";
import { tempCodeLoginSchema, verifyTempCodeLogin } from "@/lib/mfa/temp-code-login";
import { checkRecoveryCode, finishWith, recordSecondFactorFailure } from "@/lib/mfa/verify-login";
import { alertWorld, jobsOf, mails, runJobs, sentAudits } from "./alerts-world";
import { PASSWORD, meta, rejection } from "./factories";
import { issueInput, pendingLogin } from "./temp-code-world";

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "");
});

const ALERT = "admin alert";

describe("admin alerts", () => {
  it("a lockout emails each admin once (not the member, not an admin who switched it off), audited as sent", async () => {
    const db = await getDb();
    const w = await alertWorld({}, ["mfa-locked"]);
    await recordSecondFactorFailure(db, { user: w.agent, org: w.org }, "totp", MFA_LIMIT.max - 1, meta);
    await runJobs([w.org.id]);
    expect(await mails(w.admin.email, ALERT)).toHaveLength(0); // not locked yet
    await recordSecondFactorFailure(db, { user: w.agent, org: w.org }, "totp", MFA_LIMIT.max, meta);
    expect(await mails(w.admin.email, ALERT)).toHaveLength(0); // queued, not sent until the runner passes
    expect(await runJobs([w.org.id])).toMatchObject({ sent: 1 });
    await runJobs([w.org.id]);
    const got = await mails(w.admin.email, ALERT);
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toContain("Agent Alice was locked out");
    expect(got[0]!.text).toContain(w.agent.email);
    expect(got[0]!.html).toContain(`/admin/members/${w.agent.id}`);
    expect(await mails(w.admin2.email, ALERT)).toHaveLength(0);
    expect(await mails(w.agent.email, ALERT)).toHaveLength(0);
    expect((await mails(w.agent.email, "locked")).length).toBe(1); // the member's own notice
    const audits = await sentAudits(w.org.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "system", targetUserId: w.admin.id });
    expect(audits[0]!.detail).toMatchObject({ kind: "mfa-locked", about: w.agent.id });
  });

  it("turning 2FA off and removing the last factor alert the admins; removing one of two factors does not", async () => {
    const db = await getDb();
    const w = await alertWorld();
    const actor = { ...w.agent, org: w.org };
    const [first] = await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.agent.id));
    await db.insert(mfaFactors).values({ userId: w.agent.id, orgId: w.org.id, type: "email", name: "Email", confirmedAt: new Date() });
    await removeFactor(db, actor, { factorId: first!.id, password: PASSWORD }, meta);
    await runJobs([w.org.id]);
    expect(await mails(w.admin.email, ALERT)).toHaveLength(0);
    const [last] = await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.agent.id));
    await removeFactor(db, actor, { factorId: last!.id, password: PASSWORD }, meta);
    await runJobs([w.org.id]);
    const removed = await mails(w.admin.email, ALERT);
    expect(removed).toHaveLength(1);
    expect(removed[0]!.text).toContain("removed their last second factor");
    expect(await mails(w.admin2.email, ALERT)).toHaveLength(1);

    // An admin turning their own 2FA off: the other admin hears about it, they do not.
    await disableMfa(db, { ...w.admin2, org: w.org }, { password: PASSWORD }, meta);
    await runJobs([w.org.id]);
    expect(await mails(w.admin.email, "Second Admin turned off two-factor")).toHaveLength(1);
    expect(await mails(w.admin2.email, ALERT)).toHaveLength(1);
  });

  it("a temporary access code used at login alerts the admins once", async () => {
    const db = await getDb();
    const w = await alertWorld({}, ["temp-code-used"]);
    const { code } = await issueTempCode(db, { id: w.admin.id, orgId: w.org.id }, issueInput(w.agent.id), meta);
    const { challenge } = await pendingLogin(w.agent.email);
    await verifyTempCodeLogin(db, challenge, tempCodeLoginSchema.parse({ code }), meta);
    await runJobs([w.org.id]);
    await runJobs([w.org.id]);
    const got = await mails(w.admin.email, "temporary access code");
    expect(got.filter((m) => m.subject.includes(ALERT))).toHaveLength(1);
    for (const m of got) expect(m.text).not.toContain(code);
    expect(await mails(w.admin2.email, ALERT)).toHaveLength(0);
  });

  it("the recovery code that leaves 2 alerts the admins; the ones before and after do not", async () => {
    const db = await getDb();
    const w = await alertWorld();
    const codes = await replaceRecoveryCodes(db, w.agent.id);
    const subject = { user: w.agent, org: w.org };
    const finish = finishWith(db, async () => {});
    // 10 → 3 left: no alert.
    for (const c of codes.slice(0, 7)) await checkRecoveryCode(db, subject, c, meta, finish);
    await runJobs([w.org.id]);
    expect(await mails(w.admin.email, ALERT)).toHaveLength(0);
    await checkRecoveryCode(db, subject, codes[7]!, meta, finish); // 2 left
    await checkRecoveryCode(db, subject, codes[8]!, meta, finish); // 1 left
    await runJobs([w.org.id]);
    const got = await mails(w.admin.email, ALERT);
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toContain("has 2 recovery codes left");
    for (const c of codes) expect(got[0]!.text).not.toContain(c);
    expect(await db.select().from(recoveryCodes).where(isNull(recoveryCodes.usedAt))).toBeDefined();
  });

  it("each admin switches kinds off for themselves; agents cannot; the switch is read again at sending time", async () => {
    const db = await getDb();
    const w = await alertWorld();
    const actor = { id: w.admin.id, orgId: w.org.id };
    expect(Object.values(await getAlertPrefs(db, actor)).every(Boolean)).toBe(true);
    await recordSecondFactorFailure(db, { user: w.agent, org: w.org }, "totp", MFA_LIMIT.max, meta);
    // Switched off after the event was queued, before it was sent: not sent.
    const all = {
      "mfa-off": true,
      "mfa-locked": false,
      "temp-code-used": true,
      "recovery-low": true,
      "grace-ended": true,
      "weekly-digest": true,
    };
    await updateAlertPrefs(db, actor, all, meta);
    expect((await getAlertPrefs(db, actor))["mfa-locked"]).toBe(false);
    await runJobs([w.org.id]);
    expect(await mails(w.admin.email, ALERT)).toHaveLength(0);
    expect(await mails(w.admin2.email, ALERT)).toHaveLength(1);
    expect((await jobsOf(w.org.id)).map((j) => j.outcome).sort()).toEqual(["sent", "skipped"]);
    expect((await rejection(getAlertPrefs(db, { id: w.agent.id, orgId: w.org.id }))).code).toBe("forbidden");
    expect((await rejection(updateAlertPrefs(db, { id: w.agent.id, orgId: w.org.id }, all))).code).toBe("forbidden");
  });
});

describe("delivery failures", () => {
  it("a mail server that is down: the job is kept and retried later, then sent once; nothing is lost", async () => {
    const db = await getDb();
    const w = await alertWorld({}, ["mfa-locked"]);
    await recordSecondFactorFailure(db, { user: w.agent, org: w.org }, "totp", MFA_LIMIT.max, meta);
    vi.stubEnv("SMTP_URL", "smtp://127.0.0.1:9"); // nothing listens there
    const now = new Date();
    expect(await runJobs([w.org.id], now)).toMatchObject({ sent: 0, failed: 1 });
    const [job] = await jobsOf(w.org.id);
    expect(job).toMatchObject({ attempts: 1, doneAt: null, outcome: null });
    expect(job!.lastError).toMatch(/MailDeliveryError/);
    expect(job!.runAt.getTime()).toBeGreaterThan(now.getTime());
    vi.stubEnv("SMTP_URL", "");
    expect(await runJobs([w.org.id], now)).toMatchObject({ sent: 0, failed: 0 }); // not due yet
    expect(await runJobs([w.org.id], new Date(now.getTime() + 61_000))).toMatchObject({ sent: 1 });
    expect(await mails(w.admin.email, ALERT)).toHaveLength(1);
    expect((await jobsOf(w.org.id))[0]).toMatchObject({ attempts: 2, outcome: "sent" });
  });
});
