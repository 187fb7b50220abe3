/**
 * Issue #17, incident response on the policy page's danger zone: "Sign out everyone" and "Require
 * everyone to set up 2FA again". Each needs the admin's password, a reason and the organisation's name;
 * ends what it must in one transaction of set-based statements; is audited once with counts; emails each
 * member once (not the acting admin); works on 1,000 members in a few seconds.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { resetEveryoneMfa, resetEveryoneMfaSchema, signOutEveryone, signOutEveryoneSchema, NAME_MISMATCH } from "@/lib/admin/incident";
import { mfaAccess } from "@/lib/auth/access";
import { nextStepFor } from "@/lib/auth/login";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import {
  auditEvents,
  jobs,
  loginChallenges,
  mfaFactors,
  organizations,
  passwordResets,
  recoveryCodes,
  rememberedDevices,
  sessions,
  users,
} from "@/lib/db/schema";
import { onFactorConfirmed } from "@/lib/mfa/factors";
import { graceUntilFromLastDay, mfaRequirement } from "@/lib/mfa/policy";
import { replaceRecoveryCodes } from "@/lib/mfa/recovery";
import { mails, runJobs } from "./alerts-world";
import { PASSWORD, createUser, meta, orgWithAdmin, parsedForm, rejection } from "./factories";
import { addFactor } from "./temp-code-world";

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "");
});

const soon = () => new Date(Date.now() + 3600_000);

/** A member signed in (two browsers), remembered, with a login in progress and an unused reset link. */
async function busyMember(orgId: string, values: Partial<typeof users.$inferInsert> = {}) {
  const db = await getDb();
  const user = await createUser(orgId, values);
  await addFactor(user);
  await replaceRecoveryCodes(db, user.id);
  const s1 = await createSession(db, { userId: user.id, orgId, method: "totp" });
  const s2 = await createSession(db, { userId: user.id, orgId, method: "totp" });
  await db.insert(rememberedDevices).values({ userId: user.id, orgId, tokenHash: sha256(randomUUID()), expiresAt: soon() });
  await db.insert(loginChallenges).values({ userId: user.id, orgId, tokenHash: sha256(randomUUID()), expiresAt: soon() });
  await db.insert(passwordResets).values({ userId: user.id, orgId, tokenHash: sha256(randomUUID()), expiresAt: soon() });
  return { user, sessions: [s1, s2] };
}

async function scene() {
  const { org, admin } = await orgWithAdmin({ name: "Incident Org" });
  const db = await getDb();
  await addFactor(admin);
  const current = await createSession(db, { userId: admin.id, orgId: org.id, method: "totp" });
  const adminOther = await createSession(db, { userId: admin.id, orgId: org.id, method: "totp" });
  const agent = await busyMember(org.id, { name: "Agent A" });
  const agent2 = await busyMember(org.id, { name: "Agent B" });
  const admin2 = await busyMember(org.id, { role: "admin", name: "Admin Two" });
  const other = await orgWithAdmin();
  const foreign = await busyMember(other.org.id);
  const actor = { id: admin.id, orgId: org.id, sessionId: current };
  return { org, admin, current, adminOther, agent, agent2, admin2, other, foreign, actor };
}

const valid = async (userId: string, sid: string) => {
  const db = await getDb();
  const [u] = await db.select({ ver: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return (await validateSession(db, { uid: userId, sid, ver: u!.ver })) !== null;
};
const count = async (table: typeof rememberedDevices | typeof loginChallenges | typeof mfaFactors, userId: string) => {
  const db = await getDb();
  return (
    await db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(eq(table.userId, userId))
  )[0]!.n;
};

const signOutForm = (values: Record<string, unknown> = {}) =>
  parsedForm(signOutEveryoneSchema, { password: PASSWORD, reason: "Laptop stolen", confirmName: "Incident Org", ...values });
const resetForm = (values: Record<string, unknown> = {}) =>
  parsedForm(resetEveryoneMfaSchema, { password: PASSWORD, reason: "Phishing kit seen", confirmName: "Incident Org", ...values });

describe("Sign out everyone", () => {
  it("ends every session, remembered browser, login in progress and reset link in the organisation but the admin's current session; audited with counts; one email per member", async () => {
    const db = await getDb();
    const s = await scene();
    const result = await signOutEveryone(db, s.actor, signOutForm(), meta);
    expect(result).toMatchObject({ sessions: 7, rememberedDevices: 3, pendingLogins: 3, emailed: 3 });
    expect(await valid(s.admin.id, s.current)).toBe(true);
    expect(await valid(s.admin.id, s.adminOther)).toBe(false);
    for (const m of [s.agent, s.agent2, s.admin2]) {
      for (const sid of m.sessions) expect(await valid(m.user.id, sid)).toBe(false);
      expect(await count(rememberedDevices, m.user.id)).toBe(0);
      expect(await count(loginChallenges, m.user.id)).toBe(0);
      expect(await count(mfaFactors, m.user.id)).toBe(1); // factors stay
    }
    const unused = await db
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.orgId, s.org.id), isNull(passwordResets.supersededAt)));
    expect(unused).toHaveLength(0);
    // The other organisation is untouched.
    expect(await valid(s.foreign.user.id, s.foreign.sessions[0]!)).toBe(true);
    expect(await count(rememberedDevices, s.foreign.user.id)).toBe(1);

    const [row] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, s.org.id), eq(auditEvents.event, "admin.incident.signed_out_everyone")));
    expect(row).toMatchObject({ actorUserId: s.admin.id, ip: meta.ip });
    expect(row!.detail).toMatchObject({ reason: "Laptop stolen", sessions: 7, rememberedDevices: 3, pendingLogins: 3 });

    await runJobs([s.org.id]);
    await runJobs([s.org.id]);
    for (const m of [s.agent, s.agent2, s.admin2]) {
      const got = await mails(m.user.email, "signed out by your admin");
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toContain("Reason given: Laptop stolen");
    }
    expect(await mails(s.admin.email, "signed out")).toHaveLength(0);
    expect(await mails(s.foreign.user.email, "signed out")).toHaveLength(0);
  });

  it("refuses a wrong password, a mistyped organisation name and an agent, changing nothing", async () => {
    const db = await getDb();
    const s = await scene();
    expect((await rejection(signOutEveryone(db, s.actor, signOutForm({ password: "wrong password" }), meta))).fieldErrors).toHaveProperty(
      "password",
    );
    const mistyped = await rejection(signOutEveryone(db, s.actor, signOutForm({ confirmName: "incident org" }), meta));
    expect(mistyped.fieldErrors?.confirmName).toEqual([NAME_MISMATCH]);
    const agentActor = { id: s.agent.user.id, orgId: s.org.id, sessionId: s.agent.sessions[0]! };
    expect((await rejection(signOutEveryone(db, agentActor, signOutForm(), meta))).code).toBe("forbidden");
    expect(() => parsedForm(signOutEveryoneSchema, { password: PASSWORD, reason: "", confirmName: "Incident Org" })).toThrow();
    expect(await valid(s.agent.user.id, s.agent.sessions[0]!)).toBe(true);
    expect(await valid(s.admin.id, s.adminOther)).toBe(true);
    expect(await db.select().from(jobs).where(eq(jobs.orgId, s.org.id))).toHaveLength(0);
  });
});

describe("Require everyone to set up 2FA again", () => {
  it("removes every factor and recovery code of the chosen role, signs them out, and they must enrol at next login despite the grace date", async () => {
    const db = await getDb();
    const s = await scene();
    await db
      .update(organizations)
      .set({ require2fa: true, graceUntil: graceUntilFromLastDay("2099-01-01")! })
      .where(eq(organizations.id, s.org.id));
    const [org] = await db.select().from(organizations).where(eq(organizations.id, s.org.id));
    const result = await resetEveryoneMfa(db, s.actor, resetForm({ scope: "agent" }), meta);
    expect(result).toMatchObject({ members: 2, factors: 2, recoveryCodes: 20, sessions: 4, emailed: 2, includesActor: false });
    for (const m of [s.agent, s.agent2]) {
      expect(await count(mfaFactors, m.user.id)).toBe(0);
      expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, m.user.id))).toHaveLength(0);
      for (const sid of m.sessions) expect(await valid(m.user.id, sid)).toBe(false);
      const [row] = await db.select().from(users).where(eq(users.id, m.user.id));
      expect(row!.mfaResetAt).not.toBeNull();
      // No grace for them, though the organisation's grace date is far away.
      expect(mfaRequirement(org!, row!)).toMatchObject({ required: true, canSkip: false });
      expect(nextStepFor(row!, org!, [])).toBe("enrol");
      expect(await mfaAccess(db, { ...row!, org: org! })).toMatchObject({ mustEnrol: true });
    }
    // Admins keep theirs; a member who never had 2FA but is not an agent keeps the grace period.
    expect(await count(mfaFactors, s.admin2.user.id)).toBe(1);
    expect(await valid(s.admin2.user.id, s.admin2.sessions[0]!)).toBe(true);
    expect(await valid(s.admin.id, s.current)).toBe(true);
    expect(await count(mfaFactors, s.foreign.user.id)).toBe(1);

    // Enrolling again lifts the no-grace flag.
    await db.insert(mfaFactors).values({ userId: s.agent.user.id, orgId: s.org.id, type: "email", name: "Email", confirmedAt: new Date() });
    await db.transaction((tx) => onFactorConfirmed(tx, { id: s.agent.user.id, orgId: s.org.id }, { type: "email", name: "Email" }, meta));
    const [after] = await db.select().from(users).where(eq(users.id, s.agent.user.id));
    expect(after!.mfaResetAt).toBeNull();

    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, s.org.id), eq(auditEvents.event, "admin.incident.mfa_reset_everyone")));
    expect(audit!.detail).toMatchObject({ reason: "Phishing kit seen", whose: "agent", members: 2, factors: 2, recoveryCodes: 20 });
    await runJobs([s.org.id]);
    for (const m of [s.agent, s.agent2]) expect(await mails(m.user.email, "Set up two-factor authentication again")).toHaveLength(1);
    expect(await mails(s.admin2.user.email, "again")).toHaveLength(0);
  });

  it("everyone: the acting admin's factors go too, their current session stays but reaches only enrolment", async () => {
    const db = await getDb();
    const s = await scene();
    const result = await resetEveryoneMfa(db, s.actor, resetForm(), meta);
    expect(result).toMatchObject({ members: 4, factors: 4, includesActor: true, emailed: 3 });
    expect(await valid(s.admin.id, s.current)).toBe(true);
    const [me] = await db.select().from(users).where(eq(users.id, s.admin.id));
    expect(mfaRequirement({ require2fa: false, graceUntil: null }, me!)).toMatchObject({
      required: true,
      canSkip: false,
    });
  });
});

describe("1,000 members", () => {
  it("both actions are set-based: a few statements in one transaction, whatever the size (timing reported)", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin({ name: "Big Org" });
    const current = await createSession(db, { userId: admin.id, orgId: org.id, method: "totp" });
    const [{ passwordHash }] = (await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, admin.id))) as [
      { passwordHash: string },
    ];
    const N = 1000;
    const members = await db
      .insert(users)
      .values(
        Array.from({ length: N }, (_, i) => ({
          orgId: org.id,
          email: `big-${randomUUID().slice(0, 8)}-${i}@example.test`,
          name: `Member ${i}`,
          passwordHash,
        })),
      )
      .returning({ id: users.id });
    const expires = soon();
    await db.insert(sessions).values(members.map((m) => ({ userId: m.id, orgId: org.id, expiresAt: expires })));
    await db
      .insert(mfaFactors)
      .values(members.map((m) => ({ userId: m.id, orgId: org.id, type: "email" as const, name: "Email", confirmedAt: new Date() })));
    await db
      .insert(recoveryCodes)
      .values(members.flatMap((m) => Array.from({ length: 10 }, () => ({ userId: m.id, codeHash: randomBytes(16).toString("hex") }))));
    await db
      .insert(rememberedDevices)
      .values(members.map((m) => ({ userId: m.id, orgId: org.id, tokenHash: sha256(randomUUID()), expiresAt: expires })));
    const form = { password: PASSWORD, reason: "Big incident", confirmName: "Big Org" };
    const actor = { id: admin.id, orgId: org.id, sessionId: current };

    let t = performance.now();
    const out = await signOutEveryone(db, actor, parsedForm(signOutEveryoneSchema, form), meta);
    const signOutMs = performance.now() - t;
    expect(out).toMatchObject({ sessions: N, rememberedDevices: N, emailed: N });

    t = performance.now();
    const reset = await resetEveryoneMfa(db, actor, parsedForm(resetEveryoneMfaSchema, { ...form, scope: "agent" }), meta);
    const resetMs = performance.now() - t;
    expect(reset).toMatchObject({ members: N, factors: N, recoveryCodes: 10 * N, emailed: N });
    expect(
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(jobs)
        .where(eq(jobs.orgId, org.id)),
    ).toEqual([{ n: 2 * N }]);
    console.log(
      `[incident timing] ${process.env.TEST_DB ?? "pglite"}: sign out everyone ${Math.round(signOutMs)} ms, reset everyone's 2FA ${Math.round(resetMs)} ms, ${N} members (password check included)`,
    );
    expect(signOutMs).toBeLessThan(30_000);
    expect(resetMs).toBeLessThan(30_000);
  });
});
