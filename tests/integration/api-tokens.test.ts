/**
 * The JSON API's tokens (S42): rotation with reuse detection, logout, bearer errors, and every rule that
 * ends a web session ending the tokens too (they are checked through the session row, like a JWT).
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deactivateMember, removeMemberMfa } from "@/lib/admin/member-actions";
import { operatorReset2fa } from "@/lib/admin/remove-mfa";
import { createSession } from "@/lib/auth/sessions";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { apiTokens, auditEvents, mfaFactors, organizations, sessions, users } from "@/lib/db/schema";
import { removeFactor } from "@/lib/mfa/manage";
import { describeSession } from "@/lib/user-agent";
import { listActiveSessions, signOutOtherSession, signOutOtherSessions } from "@/lib/users/own-sessions";
import { changePassword } from "@/lib/users/profile";
import { api, expectProblem, tokensWithApp, withApp } from "./api-client";
import { PASSWORD, createUser, meta, orgWithAdmin } from "./factories";

type Pair = { accessToken: string; refreshToken: string; refreshExpiresIn: number };

async function signedInMember() {
  const { org, admin } = await orgWithAdmin();
  const user = await createUser(org.id);
  const { secret } = await withApp(user, org);
  const pair = await tokensWithApp(user.email, PASSWORD, secret);
  const [row] = await (await getDb()).select().from(apiTokens).where(eq(apiTokens.userId, user.id));
  expect((await me(pair.accessToken)).status).toBe(200); // live before the rule under test
  return { org, admin, user, secret, pair, sessionId: row!.sessionId };
}

const refresh = (refreshToken: string) => api("/api/v1/auth/refresh", { body: { refreshToken } });
const me = (token: string) => api("/api/v1/me", { token });

/** Both tokens of the pair are refused now. */
async function expectEnded(pair: Pair) {
  expectProblem(await me(pair.accessToken), "invalid_token", 401);
  expectProblem(await refresh(pair.refreshToken), "invalid_token", 401);
}

describe("refresh, reuse detection and logout", () => {
  it("a refresh rotates the pair: the new one works, the old access token stops", async () => {
    const { pair } = await signedInMember();
    const next = await refresh(pair.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    expect(next.body.refreshToken).not.toBe(pair.refreshToken);
    expect((await me(next.body.accessToken as string)).status).toBe(200);
    expectProblem(await me(pair.accessToken), "invalid_token", 401);
    expect(Number(next.body.refreshExpiresIn)).toBeLessThanOrEqual(pair.refreshExpiresIn);
  });

  it("reuse of a rotated refresh token ends the whole family (the session and every pair), audited", async () => {
    const { user, pair, sessionId } = await signedInMember();
    const second = (await refresh(pair.refreshToken)).body as Pair;
    const third = (await refresh(second.refreshToken)).body as Pair;
    const reused = await refresh(pair.refreshToken);
    expectProblem(reused, "refresh_token_reused", 401);
    expect(reused.headers.get("www-authenticate")).toContain("invalid_token");
    await expectEnded(third);
    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(session!.revokedAt).not.toBeNull();
    const audited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "api.token.reused")));
    expect(audited).toHaveLength(1);
  });

  it("two concurrent refreshes with one token: at most one pair comes out, and the loser ends the family", async () => {
    const { pair } = await signedInMember();
    const answers = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(answers.some((a) => a.body.code === "refresh_token_reused")).toBe(true);
    for (const a of ok) expectProblem(await me(a.body.accessToken as string), "invalid_token", 401);
  });

  it("logout ends the session and both tokens, audited as a sign-out; the refresh token cannot revive it", async () => {
    const { user, pair } = await signedInMember();
    const out = await api("/api/v1/auth/logout", { token: pair.accessToken });
    expect(out.status).toBe(204);
    await expectEnded(pair);
    const db = await getDb();
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "session.revoked")));
    expect(rows.map((r) => r.detail)).toEqual([{ scope: "this", reason: "signed_out" }]);
  });

  it("bearer errors: none, malformed, a refresh token as access token, an expired access token", async () => {
    const { pair, user } = await signedInMember();
    const none = await api("/api/v1/me", { method: "GET" });
    expectProblem(none, "invalid_token", 401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expectProblem(await me("not a token"), "invalid_token", 401);
    expectProblem(await me(pair.refreshToken), "invalid_token", 401);
    expectProblem(await refresh(pair.accessToken), "invalid_token", 401);
    await (
      await getDb()
    )
      .update(apiTokens)
      .set({ accessExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(apiTokens.userId, user.id));
    expectProblem(await me(pair.accessToken), "invalid_token", 401);
    // The refresh token still works: that is what it is for.
    expect((await refresh(pair.refreshToken)).status).toBe(200);
  });
});

describe("every rule that ends a web session ends the API's tokens", () => {
  it("Sign out of this session from Security › Sessions, where the client is listed by name and kind", async () => {
    const { user, pair, sessionId } = await signedInMember();
    const db = await getDb();
    const web = await createSession(db, { userId: user.id, orgId: user.orgId, method: "totp", userAgent: "Firefox" });
    const listed = await listActiveSessions(db, { id: user.id, orgId: user.orgId, sessionId: web });
    const app = listed.find((s) => s.id === sessionId)!;
    expect(describeSession(app)).toBe("Guardian CLI · command line");
    await signOutOtherSession(db, { id: user.id, orgId: user.orgId, sessionId: web }, sessionId, meta);
    await expectEnded(pair);
  });

  it("sign out of all other sessions", async () => {
    const { user, pair } = await signedInMember();
    const db = await getDb();
    const web = await createSession(db, { userId: user.id, orgId: user.orgId, method: "totp" });
    await signOutOtherSessions(db, { id: user.id, orgId: user.orgId, sessionId: web }, meta);
    await expectEnded(pair);
  });

  it("a password change (from the browser: the other sessions end)", async () => {
    const { user, pair } = await signedInMember();
    const db = await getDb();
    const web = await createSession(db, { userId: user.id, orgId: user.orgId, method: "totp" });
    const input = { currentPassword: PASSWORD, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" };
    await changePassword(db, { id: user.id, orgId: user.orgId, sessionId: web }, input, meta);
    await expectEnded(pair);
  });

  it("removing one's own authenticator", async () => {
    const { user, org, pair } = await signedInMember();
    const db = await getDb();
    const [factor] = await db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id));
    const web = await createSession(db, { userId: user.id, orgId: user.orgId, method: "totp" });
    await removeFactor(db, { ...user, org, sessionId: web }, { factorId: factor!.id, password: PASSWORD }, meta);
    await expectEnded(pair);
  });

  it("an admin removing the member's 2FA, and deactivating them", async () => {
    const first = await signedInMember();
    const db = await getDb();
    const admin = { id: first.admin.id, orgId: first.org.id };
    await removeMemberMfa(db, admin, { userId: first.user.id, password: PASSWORD, reason: "Lost the phone" }, meta);
    await expectEnded(first.pair);

    const second = await signedInMember();
    await deactivateMember(db, { id: second.admin.id, orgId: second.org.id }, { userId: second.user.id }, meta);
    await expectEnded(second.pair);
  });

  it("the operator's reset, a bumped session version, the session's expiry and its idle timeout", async () => {
    const db = await getDb();
    const reset = await signedInMember();
    await operatorReset2fa(db, reset.user.email);
    await expectEnded(reset.pair);

    const bumped = await signedInMember();
    await db
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, bumped.user.id));
    await expectEnded(bumped.pair);

    const expired = await signedInMember();
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, expired.sessionId));
    await expectEnded(expired.pair);

    const idle = await signedInMember();
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '2 hours'` })
      .where(eq(sessions.id, idle.sessionId));
    await expectEnded(idle.pair);
  });

  it("a member who must now set up 2FA (their only method turned off) gets enrolment_required, but may log out", async () => {
    const { org, pair } = await signedInMember();
    await (await getDb()).update(organizations).set({ require2fa: true, allowTotp: false }).where(eq(organizations.id, org.id));
    expectProblem(await me(pair.accessToken), "enrolment_required", 403);
    expect((await api("/api/v1/auth/logout", { token: pair.accessToken })).status).toBe(204);
  });

  it("the refresh token never outlives the session (org session rules), however long 30 days is", async () => {
    const { pair, sessionId } = await signedInMember();
    const db = await getDb();
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() + interval '5 minutes'` })
      .where(eq(sessions.id, sessionId));
    const next = (await refresh(pair.refreshToken)).body as Pair;
    expect(next.refreshExpiresIn).toBeLessThanOrEqual(300);
    const [row] = await db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.refreshHash, sha256(next.refreshToken)));
    expect(row!.accessExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
  });
});
