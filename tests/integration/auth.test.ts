import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PASSWORD_ACCOUNT_LIMIT, keys, reserveAttempt } from "@/lib/attempts";
import { consumeChallenge, createChallenge, findChallenge } from "@/lib/auth/challenge";
import { GENERIC_LOGIN_ERROR, passwordStep } from "@/lib/auth/login";
import { endAllSessions, revokeOtherSessions, validateSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { auditEvents, loginChallenges, sessions, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/passwords";
import { changePassword } from "@/lib/users/profile";
import { PASSWORD, createUser, meta, orgWithAdmin, uniqueEmail, rejection } from "./factories";

async function loginToSession(email: string, password = PASSWORD, m = meta) {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password }, m);
  expect(next).toBe("done");
  const result = await consumeChallenge(db, token, m);
  expect(result).not.toBeNull();
  return { claims: { uid: result!.userId, sid: result!.sessionId, ver: result!.sessionVersion }, token };
}

describe("password step and login challenge", () => {
  it("stores only the token hash and opens a completed challenge for a user without 2FA", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const { token, next } = await passwordStep(db, { email: admin.email, password: PASSWORD }, meta);
    expect(next).toBe("done");
    const rows = await db.select().from(loginChallenges).where(eq(loginChallenges.userId, admin.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(JSON.stringify(rows[0])).not.toContain(token);
    expect(rows[0]!.completedAt).not.toBeNull();
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeLessThanOrEqual(10 * 60 * 1000 + 1000);
  });

  it("accepts the email in any case and with surrounding spaces is normalised by the schema", async () => {
    const { loginSchema } = await import("@/lib/auth/login");
    expect(loginSchema.parse({ email: "  Ada@Example.TEST ", password: "x" }).email).toBe("ada@example.test");
  });

  it("creates a session only once from a challenge: the second use gets nothing", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const { token } = await passwordStep(db, { email: admin.email, password: PASSWORD }, meta);
    const first = await consumeChallenge(db, token, meta);
    const second = await consumeChallenge(db, token, meta);
    expect(first?.userId).toBe(admin.id);
    expect(second).toBeNull();
  });

  it("two concurrent completions of one challenge produce exactly one session", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const { token } = await passwordStep(db, { email: admin.email, password: PASSWORD }, meta);
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeChallenge(db, token, meta)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const rows = await db.select().from(sessions).where(eq(sessions.userId, admin.id));
    expect(rows).toHaveLength(1);
  });

  it("refuses an expired challenge and a challenge whose second factor has not passed", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const expired = await createChallenge(db, { userId: admin.id, orgId: admin.orgId, completedMethod: "password" });
    await db
      .update(loginChallenges)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(loginChallenges.id, expired.challengeId));
    expect(await consumeChallenge(db, expired.token)).toBeNull();
    expect(await findChallenge(db, expired.token)).toBeNull();
    const pending = await createChallenge(db, { userId: admin.id, orgId: admin.orgId, completedMethod: null });
    expect(await consumeChallenge(db, pending.token)).toBeNull();
    expect(await consumeChallenge(db, "not-a-token")).toBeNull();
    expect(await consumeChallenge(db, "")).toBeNull();
  });

  it("gives the same message for an unknown email and a wrong password, and audits the failure", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const wrong = await rejection(passwordStep(db, { email: admin.email, password: "not the password" }, meta));
    const unknown = await rejection(passwordStep(db, { email: uniqueEmail("nobody"), password: "not the password" }, meta));
    expect(wrong.message).toBe(GENERIC_LOGIN_ERROR);
    expect(unknown.message).toBe(GENERIC_LOGIN_ERROR);
    expect(wrong.code).toBe(unknown.code);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetUserId, admin.id));
    expect(events.map((e) => e.event)).toContain("login.failure");
    expect(events.find((e) => e.event === "login.failure")?.ip).toBe(meta.ip);
  });

  it("refuses a deactivated user with the generic message", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const agent = await createUser(org.id, { deactivatedAt: new Date() });
    const error = await rejection(passwordStep(db, { email: agent.email, password: PASSWORD }, meta));
    expect(error.message).toBe(GENERIC_LOGIN_ERROR);
  });
});

describe("password attempt limits (database counters)", () => {
  it("locks an account after 10 failures with a clear 'try again in N minutes', even for the right password", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const ip = { ...meta, ip: `198.51.100.${Math.floor(Math.random() * 200)}` };
    for (let i = 0; i < PASSWORD_ACCOUNT_LIMIT.max; i++) {
      const e = await rejection(passwordStep(db, { email: admin.email, password: "wrong password" }, ip));
      expect(e.message).toBe(GENERIC_LOGIN_ERROR);
    }
    const locked = await rejection(passwordStep(db, { email: admin.email, password: PASSWORD }, ip));
    expect(locked.code).toBe("rate_limited");
    expect(locked.message).toMatch(/Try again in 15 minutes/);
  });

  it("locks an unknown email the same way, so a lockout reveals nothing", async () => {
    const db = await getDb();
    const email = uniqueEmail("ghost");
    for (let i = 0; i < PASSWORD_ACCOUNT_LIMIT.max; i++) await rejection(passwordStep(db, { email, password: "wrong password" }, meta));
    const locked = await rejection(passwordStep(db, { email, password: "wrong password" }, meta));
    expect(locked.message).toMatch(/Too many sign-in attempts/);
  });

  it("a success resets the account counter", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    for (let i = 0; i < 9; i++) await rejection(passwordStep(db, { email: admin.email, password: "wrong password" }, meta));
    await passwordStep(db, { email: admin.email, password: PASSWORD }, meta);
    for (let i = 0; i < 9; i++) await rejection(passwordStep(db, { email: admin.email, password: "wrong password" }, meta));
    const ok = await passwordStep(db, { email: admin.email, password: PASSWORD }, meta);
    expect(ok.next).toBe("done");
  });

  it("limits attempts per client address across many accounts", async () => {
    const db = await getDb();
    const ip = { ...meta, ip: `192.0.2.${Math.floor(Math.random() * 250)}-${Date.now()}` };
    let refused: AppError | null = null;
    for (let i = 0; i < 60 && !refused; i++) {
      const e = await rejection(passwordStep(db, { email: uniqueEmail("spray"), password: "wrong password" }, ip));
      if (e.code === "rate_limited") refused = e;
    }
    expect(refused?.message).toMatch(/Try again in \d+ minutes?/);
  });

  it("50 concurrent attempts get no more than the limit", async () => {
    const db = await getDb();
    const key = keys.passwordAccount(uniqueEmail("burst"));
    const results = await Promise.all(Array.from({ length: 50 }, () => reserveAttempt(db, key, PASSWORD_ACCOUNT_LIMIT)));
    expect(results.filter((r) => r.allowed)).toHaveLength(PASSWORD_ACCOUNT_LIMIT.max);
  });
});

describe("sessions", () => {
  it("validates a live session and refuses it once ended", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const { claims } = await loginToSession(admin.email);
    expect((await validateSession(db, claims))?.id).toBe(admin.id);
    await revokeOtherSessions(db, admin.id);
    expect(await validateSession(db, claims)).toBeNull();
  });

  it("ending all sessions (session version) refuses every token issued before", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const a = await loginToSession(admin.email);
    await endAllSessions(db, admin.id);
    expect(await validateSession(db, a.claims)).toBeNull();
    // A forged token that points at a new session row but carries the old version is refused too.
    const b = await loginToSession(admin.email);
    expect(await validateSession(db, b.claims)).not.toBeNull();
    expect(await validateSession(db, { ...b.claims, ver: a.claims.ver })).toBeNull();
  });

  it("refuses an idle session, an expired one, a deactivated user and claims for another user", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const other = await createUser(org.id);
    const idle = await loginToSession(admin.email);
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
      .where(eq(sessions.id, idle.claims.sid));
    expect(await validateSession(db, idle.claims)).toBeNull();
    const expired = await loginToSession(admin.email);
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, expired.claims.sid));
    expect(await validateSession(db, expired.claims)).toBeNull();
    const live = await loginToSession(admin.email);
    expect(await validateSession(db, { ...live.claims, uid: other.id })).toBeNull();
    await db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, admin.id));
    expect(await validateSession(db, live.claims)).toBeNull();
  });
});

describe("logins in progress", () => {
  it("a password change ends a completed login that was never turned into a session", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const current = await loginToSession(admin.email);
    const { token } = await passwordStep(db, { email: admin.email, password: PASSWORD }, meta); // completed, not consumed
    await changePassword(
      db,
      { id: admin.id, orgId: admin.orgId, sessionId: current.claims.sid },
      { currentPassword: PASSWORD, newPassword: "yet another passphrase", confirmPassword: "yet another passphrase" },
    );
    expect(await consumeChallenge(db, token, meta)).toBeNull();
  });
});

// Sign-up (by emailed link) is tested in signup.test.ts.
describe("profile", () => {
  it("changing the password needs the current one and ends the other sessions", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const current = await loginToSession(admin.email);
    const other = await loginToSession(admin.email);
    const actor = { id: admin.id, orgId: admin.orgId, sessionId: current.claims.sid };
    const wrong = await rejection(
      changePassword(db, actor, {
        currentPassword: "nope nope",
        newPassword: "a brand new passphrase",
        confirmPassword: "a brand new passphrase",
      }),
    );
    expect(wrong.fieldErrors?.currentPassword?.[0]).toBe("Incorrect password.");
    const [unchanged] = await db.select().from(users).where(eq(users.id, admin.id));
    expect(await verifyPassword(unchanged!.passwordHash, PASSWORD)).toBe(true);

    await changePassword(db, actor, {
      currentPassword: PASSWORD,
      newPassword: "a brand new passphrase",
      confirmPassword: "a brand new passphrase",
    });
    expect(await validateSession(db, current.claims)).not.toBeNull();
    expect(await validateSession(db, other.claims)).toBeNull();
    const [changed] = await db.select().from(users).where(eq(users.id, admin.id));
    expect(await verifyPassword(changed!.passwordHash, "a brand new passphrase")).toBe(true);
  });
});
