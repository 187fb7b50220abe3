/**
 * Signing in through the JSON API (issue #16): the web's steps underneath, so the same policy, budgets,
 * lockouts, replay guard, audit and emails; answers and errors as problem+json with stable codes.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiLoginAnswerSchema, apiSendEmailAnswerSchema, meAnswerSchema, tokenPairSchema } from "@/lib/api/schemas";
import { MFA_LIMIT, PASSWORD_ACCOUNT_LIMIT, PASSWORD_IP_LIMIT } from "@/lib/attempts";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { apiTokens, auditEvents, devMail, loginChallenges, sessions, users } from "@/lib/db/schema";
import { CLIENT, addEmailFactor, api, expectProblem, freshAddress, latestEmailCode, loginBody, oathtool, withApp } from "./api-client";
import { PASSWORD, createUser, orgWithAdmin, sessionRows, uniqueEmail } from "./factories";

async function member(orgValues = {}) {
  const { org } = await orgWithAdmin(orgValues);
  // Signed in before: a first sign-in ever sends no "new sign-in" email.
  const user = await createUser(org.id, { lastLoginAt: new Date(Date.now() - 86_400_000) });
  return { org, user };
}

describe("POST /api/v1/auth/login and /mfa", () => {
  it("a member without 2FA gets a token pair at once: opaque, stored only hashed, tied to a session named after the client", async () => {
    const { user } = await member();
    const answer = await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ next: "done", tokenType: "Bearer", expiresIn: 900 });
    apiLoginAnswerSchema.parse(answer.body); // as documented in OpenAPI
    const { accessToken, refreshToken, refreshExpiresIn } = answer.body as {
      accessToken: string;
      refreshToken: string;
      refreshExpiresIn: number;
    };
    expect(accessToken).toMatch(/^gat_[\w-]{43}$/);
    expect(refreshToken).toMatch(/^grt_[\w-]{43}$/);
    // 30 days at most, and never past the session's own expiry (12 hours by default).
    expect(refreshExpiresIn).toBeLessThanOrEqual(12 * 3600);
    expect(answer.headers.get("set-cookie")).toBeNull();
    expect(answer.headers.get("cache-control")).toBe("no-store");

    const db = await getDb();
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    expect(row).toMatchObject({ accessHash: sha256(accessToken), refreshHash: sha256(refreshToken), rotatedAt: null });
    expect(JSON.stringify(row)).not.toContain(accessToken.slice(4, 20));
    const [session] = await sessionRows(user.id);
    expect(session).toMatchObject({
      id: row!.sessionId,
      clientName: "Guardian CLI",
      clientKind: "cli",
      method: "password",
      revokedAt: null,
    });

    const me = await api("/api/v1/me", { token: accessToken });
    expect(me.status).toBe(200);
    meAnswerSchema.parse(me.body);
    expect(me.body).toMatchObject({
      user: { id: user.id, email: user.email, role: "agent" },
      twoFactor: { enabled: false, methods: [], required: false },
      session: { id: session!.id, client: CLIENT },
    });
  });

  it("TOTP: the challenge and the usable methods, then an oathtool code gives the tokens; the challenge is spent", async () => {
    const { org, user } = await member();
    const { secret } = await withApp(user, org);
    const started = await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ next: "mfa", methods: ["totp", "recovery"] });
    expect(started.body).not.toHaveProperty("accessToken");
    apiLoginAnswerSchema.parse(started.body);
    expect(await sessionRows(user.id)).toHaveLength(0); // S1: nothing until the second factor
    const challenge = started.body.challenge as string;

    const done = await api("/api/v1/auth/mfa", { body: { challenge, method: "totp", code: oathtool(secret) } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    tokenPairSchema.parse(done.body);
    const [session] = await sessionRows(user.id);
    expect(session).toMatchObject({ method: "totp", clientKind: "cli", clientName: "Guardian CLI" });
    const me = await api("/api/v1/me", { token: done.body.accessToken as string });
    expect(me.body).toMatchObject({ twoFactor: { enabled: true, methods: ["totp"] } });

    // Audited like the web's login, and the owner is told of a sign-in from an app.
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetUserId, user.id));
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["mfa.challenge.success", "login.success"]));
    const mails = await db.select().from(devMail).where(eq(devMail.to, user.email));
    expect(mails.some((m) => m.text.includes("App: Guardian CLI (command line)"))).toBe(true);

    const again = await api("/api/v1/auth/mfa", { body: { challenge, method: "totp", code: oathtool(secret, 30) } });
    expectProblem(again, "challenge_expired", 401);
  });

  it("offers only the methods the member's role may use: an admin held to app-or-key is not offered email codes", async () => {
    const { org, admin } = await orgWithAdmin({ adminMethods: ["totp", "webauthn"] });
    await (
      await getDb()
    )
      .update(users)
      .set({ lastLoginAt: new Date(Date.now() - 86_400_000) })
      .where(eq(users.id, admin.id));
    await withApp(admin, org);
    await addEmailFactor(admin);
    const started = await api("/api/v1/auth/login", { body: loginBody(admin.email, PASSWORD) });
    expect(started.body).toMatchObject({ next: "mfa", methods: ["totp", "recovery"] });
    const refused = await api("/api/v1/auth/mfa/email", { body: { challenge: started.body.challenge } });
    expectProblem(refused, "mfa_required", 403);
    // An agent of the same organisation keeps email codes.
    const agent = await createUser(org.id, { lastLoginAt: new Date(Date.now() - 86_400_000) });
    await addEmailFactor(agent);
    const agentStarted = await api("/api/v1/auth/login", { body: loginBody(agent.email, PASSWORD) });
    expect(agentStarted.body).toMatchObject({ next: "mfa", methods: ["email"] });
  });

  it("a wrong password and an unknown email get the same invalid_credentials problem", async () => {
    const { user } = await member();
    const ip = freshAddress();
    const wrong = await api("/api/v1/auth/login", { ip, body: loginBody(user.email, "not the password") });
    const unknown = await api("/api/v1/auth/login", { ip, body: loginBody(uniqueEmail("nobody"), PASSWORD) });
    expectProblem(wrong, "invalid_credentials", 401);
    expectProblem(unknown, "invalid_credentials", 401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it("validation: missing or wrong fields are listed; a non-JSON body or content type is refused before anything is counted", async () => {
    const { user } = await member();
    const noClient = await api("/api/v1/auth/login", { body: { email: user.email, password: PASSWORD } });
    expectProblem(noClient, "validation", 400);
    expect(noClient.body.errors).toHaveProperty("client");
    const badKind = await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD, { name: "X", kind: "desktop" }) });
    expectProblem(badKind, "validation", 400);
    const badEmail = await api("/api/v1/auth/login", { body: loginBody("not-an-email", PASSWORD) });
    expect(badEmail.body.errors).toHaveProperty("email");
    expectProblem(await api("/api/v1/auth/login", { body: "{not json" }), "validation", 400);
    expectProblem(await api("/api/v1/auth/login", { body: [1, 2] }), "validation", 400);
    const form = await api("/api/v1/auth/login", {
      body: "email=a&password=b",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(form, "unsupported_media_type", 415);
    const badCode = await api("/api/v1/auth/mfa", { body: { challenge: "x", method: "totp", code: "12" } });
    expectProblem(badCode, "validation", 400);
    expect(badCode.body.errors).toHaveProperty("code");
    expectProblem(await api("/api/v1/auth/mfa", { body: { challenge: "x", method: "sms", code: "123456" } }), "validation", 400);
    // Nothing was counted: the right password still works.
    expect((await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) })).status).toBe(200);
  });

  it("locked: the account-wide password lock (an app is an unknown browser), with Retry-After; rate_limited: the per-address limit", async () => {
    const { user } = await member();
    for (let i = 0; i < PASSWORD_ACCOUNT_LIMIT.max; i++) {
      expectProblem(await api("/api/v1/auth/login", { body: loginBody(user.email, "wrong") }), "invalid_credentials", 401);
    }
    const locked = await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) });
    expectProblem(locked, "locked", 429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(locked.body.retryAfter).toBe(Number(locked.headers.get("retry-after")));

    const ip = freshAddress();
    for (let i = 0; i < PASSWORD_IP_LIMIT.max; i++) await api("/api/v1/auth/login", { ip, body: loginBody(uniqueEmail("spray"), "x") });
    const limited = await api("/api/v1/auth/login", { ip, body: loginBody(uniqueEmail("spray"), "x") });
    expectProblem(limited, "rate_limited", 429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("invalid_code (counted), code_already_used (the replay guard, not counted), locked after the shared budget", async () => {
    const { org, user } = await member();
    const { secret } = await withApp(user, org);
    const start = async () => (await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) })).body.challenge as string;
    const code = oathtool(secret);
    const wrongCode = code === "000000" ? "111111" : "000000";
    const challenge = await start();
    const wrong = await api("/api/v1/auth/mfa", { body: { challenge, method: "totp", code: wrongCode } });
    expectProblem(wrong, "invalid_code", 401);
    expect(wrong.body.errors).toHaveProperty("code");
    expect((await api("/api/v1/auth/mfa", { body: { challenge, method: "totp", code } })).status).toBe(200);

    const replay = await api("/api/v1/auth/mfa", { body: { challenge: await start(), method: "totp", code } });
    expectProblem(replay, "code_already_used", 409);

    // The budget is shared with the web and across challenges: 10 failures in a row lock the second step.
    const next = await start();
    let last = wrong;
    for (let i = 0; i < MFA_LIMIT.max; i++)
      last = await api("/api/v1/auth/mfa", { body: { challenge: next, method: "totp", code: wrongCode } });
    expectProblem(last, "locked", 429);
    const refused = await api("/api/v1/auth/mfa", { body: { challenge: await start(), method: "totp", code: oathtool(secret, 30) } });
    expectProblem(refused, "locked", 429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
    const db = await getDb();
    const lockedRows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.locked")));
    expect(lockedRows).toHaveLength(1);
  });

  it("mfa_required: a method this sign-in cannot use is refused with the usable ones, and not counted", async () => {
    const { org, user } = await member();
    const { secret } = await withApp(user, org);
    const challenge = (await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) })).body.challenge as string;
    const email = await api("/api/v1/auth/mfa", { body: { challenge, method: "email", code: "123456" } });
    expectProblem(email, "mfa_required", 403);
    expect(email.body.methods).toEqual(["totp", "recovery"]);
    expectProblem(await api("/api/v1/auth/mfa/email", { body: { challenge } }), "mfa_required", 403);
    expectProblem(await api("/api/v1/auth/mfa", { body: { challenge, method: "temp_code", code: "K336-8E8S-4RYC" } }), "mfa_required", 403);
    expect((await api("/api/v1/auth/mfa", { body: { challenge, method: "totp", code: oathtool(secret) } })).status).toBe(200);
  });

  it("recovery codes work once through the API", async () => {
    const { org, user } = await member();
    const { recoveryCodes } = await withApp(user, org);
    const start = async () => (await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) })).body.challenge as string;
    const code = recoveryCodes[0]!;
    expect((await api("/api/v1/auth/mfa", { body: { challenge: await start(), method: "recovery", code } })).status).toBe(200);
    expectProblem(await api("/api/v1/auth/mfa", { body: { challenge: await start(), method: "recovery", code } }), "invalid_code", 401);
  });

  it("email codes: /mfa/email sends one (the web's cooldown applies, with Retry-After), /mfa takes it", async () => {
    const { user } = await member();
    await addEmailFactor(user);
    const started = await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) });
    expect(started.body).toMatchObject({ next: "mfa", methods: ["email"] });
    const challenge = started.body.challenge as string;
    const sent = await api("/api/v1/auth/mfa/email", { body: { challenge } });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ sent: true, resendInSeconds: 30 });
    apiSendEmailAnswerSchema.parse(sent.body);
    expect(JSON.stringify(sent.body)).not.toMatch(/\d{6}/);
    const early = await api("/api/v1/auth/mfa/email", { body: { challenge } });
    expectProblem(early, "rate_limited", 429);
    expect(Number(early.headers.get("retry-after"))).toBeGreaterThan(20);
    const code = await latestEmailCode(user.email);
    const done = await api("/api/v1/auth/mfa", { body: { challenge, method: "email", code } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await sessionRows(user.id))[0]).toMatchObject({ method: "email", clientKind: "cli" });
  });

  it("enrolment_required: 2FA required and none set up: a URL to finish in the browser, no challenge, no session, no token", async () => {
    const { user } = await member({ require2fa: true });
    const answer = await api("/api/v1/auth/login", { body: loginBody(user.email, PASSWORD) });
    expectProblem(answer, "enrolment_required", 403);
    expect(answer.body).toMatchObject({ next: "enrol" });
    expect(answer.body.enrolUrl).toMatch(/\/login\/setup$/);
    expect(answer.body).not.toHaveProperty("challenge");
    expect(await sessionRows(user.id)).toHaveLength(0);
    const db = await getDb();
    expect(await db.select().from(apiTokens).where(eq(apiTokens.userId, user.id))).toHaveLength(0);
  });

  it("challenge_expired: an unknown challenge, and a web login's challenge (not started by an app)", async () => {
    const { org, user } = await member();
    const { secret } = await withApp(user, org);
    expectProblem(await api("/api/v1/auth/mfa", { body: { challenge: "nope", method: "totp", code: "123456" } }), "challenge_expired", 401);
    const { passwordStep } = await import("@/lib/auth/login");
    const db = await getDb();
    const web = await passwordStep(db, { email: user.email, password: PASSWORD }, { ip: freshAddress(), userAgent: "Firefox" });
    const [row] = await db
      .select()
      .from(loginChallenges)
      .where(eq(loginChallenges.tokenHash, sha256(web.token)));
    expect(row?.clientKind).toBeNull();
    const refused = await api("/api/v1/auth/mfa", { body: { challenge: web.token, method: "totp", code: oathtool(secret) } });
    expectProblem(refused, "challenge_expired", 401);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });

  it("unknown paths under /api/v1 answer a problem, not the web's page", async () => {
    expectProblem(await api("/api/v1/nothing-here", { method: "GET" }), "not_found", 404);
  });
});
