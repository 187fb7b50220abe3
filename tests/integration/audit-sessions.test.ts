import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PASSWORD_ACCOUNT_LIMIT } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { listAuditEvents, loginHistory, parseAuditSearchParams } from "@/lib/audit/queries";
import { consumeChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { findResetLink } from "@/lib/auth/reset-links";
import { revokeAccess, validateSession } from "@/lib/auth/sessions";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { auditEvents, passwordResets, rememberedDevices, sessions, users } from "@/lib/db/schema";
import { listActiveSessions, signOutOtherSessions, signOutSession } from "@/lib/users/own-sessions";
import { PASSWORD, createUser, meta, orgWithAdmin } from "./factories";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

async function signIn(email: string, m = meta) {
  const db = await getDb();
  const { token } = await passwordStep(db, { email, password: PASSWORD }, m);
  const result = await consumeChallenge(db, token, m);
  expect(result).not.toBeNull();
  return { uid: result!.userId, sid: result!.sessionId, ver: result!.sessionVersion };
}

/** A unique client address per call, so the per-address password limit never couples tests. */
const address = () => `198.51.100.${Math.floor(Math.random() * 250)}-${Math.random().toString(36).slice(2, 8)}`;

describe("audit log queries (admin page)", () => {
  it("only ever returns the organisation's own events, with names only from its own members", async () => {
    const db = await getDb();
    const a = await orgWithAdmin({ name: "Org A" });
    const b = await orgWithAdmin({ name: "Org B" });
    await audit(db, { orgId: a.org.id, event: "user.profile.updated", actorUserId: a.admin.id, targetUserId: a.admin.id, meta });
    await audit(db, { orgId: b.org.id, event: "user.profile.updated", actorUserId: b.admin.id, targetUserId: b.admin.id, meta });
    // A (malformed) row in B's log naming A's admin: A must not see it, B must not learn A's admin's name.
    await audit(db, { orgId: b.org.id, event: "admin.user.role", actorUserId: b.admin.id, targetUserId: a.admin.id, meta });

    const pageA = await listAuditEvents(db, a.org.id);
    expect(pageA.total).toBe(1);
    expect(pageA.events.every((e) => e.actor?.id === a.admin.id)).toBe(true);

    const pageB = await listAuditEvents(db, b.org.id);
    expect(pageB.total).toBe(2);
    expect(JSON.stringify(pageB.events)).not.toContain(a.admin.email);

    // Filtering B's log by A's admin (an id from another organisation) finds nothing of A's.
    const crossFilter = await listAuditEvents(db, b.org.id, { memberId: a.admin.id });
    expect(crossFilter.events.every((e) => e.event === "admin.user.role")).toBe(true);
    expect(crossFilter.events[0]?.target).toBeNull();
    // …and filtering A's log by B's admin finds nothing at all.
    expect((await listAuditEvents(db, a.org.id, { memberId: b.admin.id })).total).toBe(0);
  });

  it("filters by member (as actor or target), by event and by date range", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const agent = await createUser(org.id, { name: "Agent Smith" });
    const other = await createUser(org.id);
    await audit(db, { orgId: org.id, event: "admin.mfa.enforced", actorUserId: admin.id, targetUserId: agent.id, meta });
    await audit(db, { orgId: org.id, event: "login.failure", targetUserId: agent.id, detail: { reason: "wrong_password" }, meta });
    await audit(db, { orgId: org.id, event: "login.failure", targetUserId: other.id, meta });
    await audit(db, { orgId: org.id, event: "user.profile.updated", actorUserId: admin.id, targetUserId: admin.id, meta });
    const [old] = await db
      .insert(auditEvents)
      .values({
        orgId: org.id,
        event: "login.success",
        actorUserId: agent.id,
        targetUserId: agent.id,
        createdAt: new Date("2026-01-15T12:00:00Z"),
      })
      .returning();

    const byAgent = await listAuditEvents(db, org.id, { memberId: agent.id });
    expect(byAgent.events.map((e) => e.event).sort()).toEqual(["admin.mfa.enforced", "login.failure", "login.success"]);
    const enforced = byAgent.events.find((e) => e.event === "admin.mfa.enforced")!;
    expect(enforced.actor?.id).toBe(admin.id);
    expect(enforced.target?.name).toBe("Agent Smith");

    const byAdmin = await listAuditEvents(db, org.id, { memberId: admin.id });
    expect(byAdmin.events.map((e) => e.event).sort()).toEqual(["admin.mfa.enforced", "user.profile.updated"]);

    const failures = await listAuditEvents(db, org.id, { event: "login.failure" });
    expect(failures.total).toBe(2);
    const agentFailures = await listAuditEvents(db, org.id, { event: "login.failure", memberId: agent.id });
    expect(agentFailures.events).toHaveLength(1);
    expect(agentFailures.events[0]!.detail).toEqual({ reason: "wrong_password" });
    expect(agentFailures.events[0]!.ip).toBe(meta.ip);

    // Date range: whole UTC days, both ends included, through the page's own parser.
    const jan15 = parseAuditSearchParams({ from: "2026-01-15", to: "2026-01-15" }).filter;
    expect((await listAuditEvents(db, org.id, jan15)).events.map((e) => e.id)).toEqual([old!.id]);
    const jan16on = parseAuditSearchParams({ from: "2026-01-16" }).filter;
    expect((await listAuditEvents(db, org.id, jan16on)).total).toBe(4);
    const untilJan14 = parseAuditSearchParams({ to: "2026-01-14" }).filter;
    expect((await listAuditEvents(db, org.id, untilJan14)).total).toBe(0);
  });

  it("paginates newest first without gaps or repeats, and clamps out-of-range pages", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const base = Date.parse("2026-06-01T00:00:00Z");
    await db.insert(auditEvents).values(
      Array.from({ length: 120 }, (_, i) => ({
        orgId: org.id,
        event: "user.profile.updated",
        actorUserId: admin.id,
        targetUserId: admin.id,
        detail: { n: i },
        // Two events share each second: the id breaks ties so the order is stable.
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
      })),
    );
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await listAuditEvents(db, org.id, {}, { page, pageSize: 50 });
      expect(result.total).toBe(120);
      expect(result.pageCount).toBe(3);
      expect(result.page).toBe(page);
      expect(result.events).toHaveLength(page < 3 ? 50 : 20);
      seen.push(...result.events.map((e) => Number(e.detail.n)));
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
    expect((await listAuditEvents(db, org.id, {}, { page: 99, pageSize: 50 })).page).toBe(3);
    expect((await listAuditEvents(db, org.id, {}, { page: -4, pageSize: 50 })).page).toBe(1);
  });

  it("drops malformed filter values instead of sending them to the database", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const parsed = parseAuditSearchParams({
      member: "1 OR 1=1",
      event: "login.success'; drop table users",
      from: "2026-02-30",
      page: "abc",
    });
    expect(parsed.filter).toEqual({ memberId: undefined, event: undefined, from: undefined, until: undefined });
    expect(parsed.invalidDates).toBe(true);
    expect(parsed.page).toBe(1);
    await expect(listAuditEvents(db, org.id, parsed.filter)).resolves.toMatchObject({ total: 0 });
  });
});

describe("login history (profile)", () => {
  it("lists the user's own sign-ins and failures with method, address and browser, newest first", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const colleague = await createUser(org.id);
    await signIn(admin.email, { ip: "203.0.113.10", userAgent: CHROME });
    await expect(
      passwordStep(db, { email: admin.email, password: "wrong password" }, { ip: "203.0.113.66", userAgent: FIREFOX }),
    ).rejects.toThrow();
    // Events that belong elsewhere: a colleague's login, and a non-login event about me.
    await signIn(colleague.email);
    await audit(db, { orgId: org.id, event: "user.profile.updated", actorUserId: admin.id, targetUserId: admin.id, meta });
    // Second-factor events written by the 2FA code carry their method in detail.method.
    await audit(db, { orgId: org.id, event: "mfa.challenge.failure", targetUserId: admin.id, detail: { method: "totp" }, meta });

    const history = await loginHistory(db, { id: admin.id, orgId: org.id });
    expect(history.map((h) => [h.event, h.outcome, h.method])).toEqual([
      ["mfa.challenge.failure", "failure", "totp"],
      ["login.failure", "failure", "password"],
      ["login.success", "success", "password"],
    ]);
    expect(history[1]).toMatchObject({ ip: "203.0.113.66", userAgent: FIREFOX });
    expect(history[2]).toMatchObject({ ip: "203.0.113.10", userAgent: CHROME });
    // Scoped by organisation as well as by user.
    const elsewhere = await orgWithAdmin();
    expect(await loginHistory(db, { id: admin.id, orgId: elsewhere.org.id })).toEqual([]);
  });

  it("records a lockout (login.locked) for a known account, and shows it in the history", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const m = { ip: address(), userAgent: CHROME };
    for (let i = 0; i < PASSWORD_ACCOUNT_LIMIT.max; i++) {
      await expect(passwordStep(db, { email: admin.email, password: "wrong password" }, m)).rejects.toThrow();
    }
    await expect(passwordStep(db, { email: admin.email, password: PASSWORD }, m)).rejects.toThrow(/Too many sign-in attempts/);
    const locked = await db.select().from(auditEvents).where(eq(auditEvents.event, "login.locked"));
    const mine = locked.filter((e) => e.targetUserId === admin.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ orgId: admin.orgId, ip: m.ip, userAgent: CHROME, detail: { limit: "account" } });
    const history = await loginHistory(db, { id: admin.id, orgId: admin.orgId });
    expect(history[0]).toMatchObject({ event: "login.locked", outcome: "locked", method: "password" });
    expect(history.filter((h) => h.event === "login.failure")).toHaveLength(PASSWORD_ACCOUNT_LIMIT.max);
  });
});

describe("sessions (profile)", () => {
  it("signing out of all other sessions ends them, keeps the current one, and is audited", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const current = await signIn(admin.email, { ip: "203.0.113.1", userAgent: CHROME });
    const other = await signIn(admin.email, { ip: "203.0.113.2", userAgent: FIREFOX });
    const third = await signIn(admin.email);
    const actor = { id: admin.id, orgId: admin.orgId, sessionId: current.sid };

    const before = await listActiveSessions(db, actor);
    expect(before).toHaveLength(3);
    expect(before[0]).toMatchObject({ id: current.sid, current: true, ip: "203.0.113.1", userAgent: CHROME });
    expect(before.filter((s) => s.current)).toHaveLength(1);

    expect(await signOutOtherSessions(db, actor, meta)).toEqual({ ended: 2 });
    expect(await validateSession(db, other)).toBeNull();
    expect(await validateSession(db, third)).toBeNull();
    expect((await validateSession(db, current))?.sessionId).toBe(current.sid);
    expect((await listActiveSessions(db, actor)).map((s) => s.id)).toEqual([current.sid]);

    const [event] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.event, "session.revoked"))
      .then((rows) => rows.filter((r) => r.actorUserId === admin.id));
    expect(event).toMatchObject({ orgId: admin.orgId, targetUserId: admin.id, ip: meta.ip, detail: { scope: "others", count: 2 } });
  });

  it("never touches another user's sessions, and lists only live ones", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const agent = await createUser(org.id);
    const mine = await signIn(admin.email);
    const theirs = await signIn(agent.email);
    const idle = await signIn(admin.email);
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
      .where(eq(sessions.id, idle.sid));
    const actor = { id: admin.id, orgId: admin.orgId, sessionId: mine.sid };
    expect((await listActiveSessions(db, actor)).map((s) => s.id)).toEqual([mine.sid]);
    expect(await signOutOtherSessions(db, actor)).toEqual({ ended: 0 });
    expect(await validateSession(db, theirs)).not.toBeNull();
    expect(await validateSession(db, mine)).not.toBeNull();
  });

  it("signing out ends the session row and audits it once", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const s = await signIn(admin.email);
    await signOutSession(db, admin.id, s.sid, meta);
    await signOutSession(db, admin.id, s.sid, meta);
    expect(await validateSession(db, s)).toBeNull();
    const events = (await db.select().from(auditEvents).where(eq(auditEvents.targetUserId, admin.id))).filter(
      (e) => e.event === "session.revoked",
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toEqual({ scope: "this", reason: "signed_out" });
  });
});

describe("revokeAccess: the one way to end a user's access", () => {
  async function userWithEverything() {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const first = await signIn(user.email, { ...meta, ip: address() });
    const second = await signIn(user.email, { ...meta, ip: address() });
    const { token: pending } = await passwordStep(db, { email: user.email, password: PASSWORD }, { ...meta, ip: address() });
    await db.insert(rememberedDevices).values({
      userId: user.id,
      orgId: org.id,
      tokenHash: "x".repeat(64),
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const resetToken = `reset-${user.id}`;
    await db
      .insert(passwordResets)
      .values({ userId: user.id, orgId: org.id, tokenHash: sha256(resetToken), expiresAt: new Date(Date.now() + 30 * 60_000) });
    return { db, user, first, second, pending, resetToken };
  }

  it("keeping the current session: ends the others, remembered browsers, logins in progress and reset links", async () => {
    const { db, user, first, second, pending, resetToken } = await userWithEverything();
    expect((await findResetLink(db, resetToken)).status).toBe("ok");
    expect(await revokeAccess(db, user.id, { keepSessionId: first.sid })).toEqual({ rememberedDevices: 1 });
    expect(await validateSession(db, first)).not.toBeNull();
    expect(await validateSession(db, second)).toBeNull();
    expect(await consumeChallenge(db, pending, meta)).toBeNull();
    expect(await db.select().from(rememberedDevices).where(eq(rememberedDevices.userId, user.id))).toHaveLength(0);
    expect((await findResetLink(db, resetToken)).status).toBe("superseded");
  });

  it("without a session to keep: every session ends, including tokens whose rows are gone", async () => {
    const { db, user, first, second } = await userWithEverything();
    await revokeAccess(db, user.id);
    expect(await validateSession(db, first)).toBeNull();
    expect(await validateSession(db, second)).toBeNull();
    const [row] = await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, user.id));
    expect(row?.v).toBe(first.ver + 1);
  });
});
