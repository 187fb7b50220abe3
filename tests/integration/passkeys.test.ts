/**
 * Security keys and passkeys (WebAuthn, S41), with a software authenticator (soft-authenticator.ts):
 * adding a key, signing in with it, and every refusal (wrong origin or rp id, replayed, expired or
 * foreign challenge, unknown or other user's key, garbage, a counter going backwards): a clear AppError,
 * never a crash, and at login each one counted in the shared budget.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { MFA_LIMIT, keys } from "@/lib/attempts";
import { consumeChallenge, findChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import {
  attemptCounters,
  auditEvents,
  mfaFactors,
  organizations,
  webauthnChallenges,
  webauthnCredentials,
  type users,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import type { MfaActor } from "@/lib/mfa/actor";
import { listFactors, usableFactors } from "@/lib/mfa/factors";
import { removeFactor } from "@/lib/mfa/manage";
import { KEY_ALREADY_ADDED, finishPasskeyRegistration, startPasskeyRegistration } from "@/lib/mfa/passkey-enrolment";
import { WRONG_KEY, passkeyLoginOptions, verifyPasskeyLogin } from "@/lib/mfa/passkey-login";
import { LOCKED_MESSAGE } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, expectOpenedSession, meta, orgWithAdmin, rejection, sessionRows } from "./factories";
import { SoftAuthenticator } from "./soft-authenticator";

type User = typeof users.$inferSelect;
type Org = typeof organizations.$inferSelect;

const ORIGIN = "https://guardian.example";
const RP_ID = "guardian.example";
beforeAll(() => {
  process.env.NEXTAUTH_URL = ORIGIN;
});

const actorOf = (user: User, org: Org): MfaActor => ({ ...user, org });

async function withKey(options: { counter?: number; role?: "admin" | "agent" } = {}) {
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id, { role: options.role ?? "agent" });
  const key = new SoftAuthenticator(ORIGIN, RP_ID, { counter: options.counter });
  const opts = await startPasskeyRegistration(db, actorOf(user, org));
  const added = await finishPasskeyRegistration(db, actorOf(user, org), { name: "YubiKey 5", response: key.register(opts) }, meta);
  return { user, org, key, added };
}

async function login(email: string): Promise<{ token: string; challenge: LiveChallenge }> {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password: PASSWORD }, meta);
  expect(next).toBe("mfa");
  return { token, challenge: (await findChallenge(db, token))! };
}

async function failures(userId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(attemptCounters)
    .where(eq(attemptCounters.key, keys.mfa(userId)));
  return row?.count ?? 0;
}

describe("adding a security key", () => {
  it("verifies the attestation, stores the public key, counter, transports and AAGUID, and makes the first key a factor with recovery codes", async () => {
    const db = await getDb();
    const { user, org, key, added } = await withKey({ counter: 5 });
    expect(added.first).toBe(true);
    expect(added.recoveryCodes).toHaveLength(10);
    const [cred] = await db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id));
    expect(cred).toMatchObject({
      credentialId: key.id,
      counter: 5,
      transports: ["internal"],
      aaguid: "01020304-0506-0708-090a-0b0c0d0e0f10",
    });
    const factors = await listFactors(db, user.id);
    expect(factors.map((f) => [f.type, f.name])).toEqual([["webauthn", "YubiKey 5"]]);
    expect(await usableFactors(db, user, org)).toHaveLength(1);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.factor.added")));
    expect(event!.detail).toMatchObject({ type: "webauthn", name: "YubiKey 5", first: true });
    const mails = await listDevMail(db, { to: user.email, limit: 5 });
    expect(mails[0]!.text).toContain("a security key or passkey (“YubiKey 5”)");
    // The challenge was used up.
    expect(await db.select().from(webauthnChallenges).where(eq(webauthnChallenges.userId, user.id))).toHaveLength(0);
  });

  it("refuses a wrong origin, a wrong rp id, a replayed, expired or another user's challenge, a key added twice and garbage; nothing is stored", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const other = await createUser(org.id);
    const actor = actorOf(user, org);
    const key = new SoftAuthenticator(ORIGIN, RP_ID);
    const attempt = async (response: string) => rejection(finishPasskeyRegistration(db, actor, { name: "Key", response }, meta));

    expect((await attempt(key.register(await startPasskeyRegistration(db, actor), { origin: "https://evil.example" }))).code).toBe(
      "bad_request",
    );
    expect((await attempt(key.register(await startPasskeyRegistration(db, actor), { rpId: "evil.example" }))).code).toBe("bad_request");
    expect((await attempt(key.register(await startPasskeyRegistration(db, actor), { type: "webauthn.get" }))).code).toBe("bad_request");
    // A challenge issued to someone else is not this user's.
    expect((await attempt(key.register(await startPasskeyRegistration(db, actorOf(other, org))))).code).toBe("conflict");
    // Expired (5 minutes).
    const late = await startPasskeyRegistration(db, actor);
    await db
      .update(webauthnChallenges)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(webauthnChallenges.userId, user.id));
    expect((await attempt(key.register(late))).code).toBe("conflict");
    for (const garbage of [
      "",
      "{",
      "null",
      "[]",
      '{"type":"public-key"}',
      JSON.stringify({ id: "a", rawId: "a", type: "public-key", response: {} }),
    ]) {
      expect(["bad_request", "conflict"]).toContain(
        (await rejection(finishPasskeyRegistration(db, actor, { name: "Key", response: garbage }, meta))).code,
      );
    }
    expect(await listFactors(db, user.id)).toHaveLength(0);

    // Replayed: the same answer twice adds the key once.
    const opts = await startPasskeyRegistration(db, actor);
    const answer = key.register(opts);
    await finishPasskeyRegistration(db, actor, { name: "Key", response: answer }, meta);
    expect((await attempt(answer)).code).toBe("conflict");
    // The same key again (new challenge), for this user or another: refused, registered once.
    expect((await attempt(key.register(await startPasskeyRegistration(db, actor)))).message).toBe(KEY_ALREADY_ADDED);
    const otherActor = actorOf(other, org);
    const again = await rejection(
      finishPasskeyRegistration(
        db,
        otherActor,
        { name: "Key", response: key.register(await startPasskeyRegistration(db, otherActor)) },
        meta,
      ),
    );
    expect(again.message).toBe(KEY_ALREADY_ADDED);
    expect(await listFactors(db, user.id)).toHaveLength(1);
    expect(await listFactors(db, other.id)).toHaveLength(0);
  });

  it("is refused when the organisation, or the member's role, does not allow keys", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin({ allowWebauthn: false });
    expect((await rejection(startPasskeyRegistration(db, actorOf(admin, org)))).code).toBe("forbidden");
    const { org: org2, admin: admin2 } = await orgWithAdmin({ adminMethods: ["totp"] });
    expect((await rejection(startPasskeyRegistration(db, actorOf(admin2, org2)))).code).toBe("forbidden");
    const agent = await createUser(org2.id);
    await expect(startPasskeyRegistration(db, actorOf(agent, org2))).resolves.toHaveProperty("challenge");
  });
});

describe("signing in with a security key", () => {
  it("passes the 2FA step once: session made, counter moved, last used set, audited as webauthn", async () => {
    const db = await getDb();
    const { user, key } = await withKey({ counter: 5 });
    const { token, challenge } = await login(user.email);
    const options = await passkeyLoginOptions(db, challenge);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([key.id]);
    expect(options.userVerification).toBe("preferred");
    expect(options.rpId).toBe(RP_ID);
    const result = await verifyPasskeyLogin(db, challenge, { response: key.authenticate(options) }, meta);
    // The session is opened by the same step; the challenge is spent.
    await expectOpenedSession(result.session, { userId: user.id, method: "webauthn", challengeToken: token });
    const [cred] = await db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id));
    expect(cred!.counter).toBe(6);
    const [factor] = await db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id));
    expect(factor!.lastUsedAt).not.toBeNull();
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.challenge.success")));
    expect(event!.detail).toMatchObject({ method: "webauthn", factor: "YubiKey 5" });
    expect(await failures(user.id)).toBe(0);
  });

  it("refuses, and counts in the shared budget, garbage, an unknown key, another user's key, a wrong origin or rp id, a replayed or expired challenge", async () => {
    const db = await getDb();
    const { user, key } = await withKey();
    const { user: otherUser, key: othersKey } = await withKey();
    const { challenge } = await login(user.email);
    const stranger = new SoftAuthenticator(ORIGIN, RP_ID);
    const refusals: [string, () => Promise<string>][] = [
      ["garbage", async () => "not json"],
      ["empty", async () => "{}"],
      ["unknown key", async () => stranger.authenticate(await passkeyLoginOptions(db, challenge))],
      ["another user's key", async () => othersKey.authenticate(await passkeyLoginOptions(db, challenge))],
      [
        "wrong origin",
        async () => key.authenticate(await passkeyLoginOptions(db, challenge), { origin: "https://guardian.example.evil.test" }),
      ],
      ["wrong rp id", async () => key.authenticate(await passkeyLoginOptions(db, challenge), { rpId: "evil.example" })],
      ["challenge never issued", async () => key.authenticate({ challenge: Buffer.alloc(32, 1).toString("base64url") })],
      ["another login's challenge", async () => key.authenticate(await passkeyLoginOptions(db, (await login(otherUser.email)).challenge))],
      [
        "expired challenge",
        async () => {
          const options = await passkeyLoginOptions(db, challenge);
          await db
            .update(webauthnChallenges)
            .set({ expiresAt: sql`now() - interval '1 second'` })
            .where(eq(webauthnChallenges.loginChallengeId, challenge.challenge.id));
          return key.authenticate(options);
        },
      ],
    ];
    let counted = 0;
    for (const [label, answer] of refusals) {
      const error = await rejection(verifyPasskeyLogin(db, challenge, { response: await answer() }, meta));
      expect(error.code, label).toBe("bad_request");
      expect(error.fieldErrors?.code?.[0], label).toMatch(new RegExp(`^${WRONG_KEY}`));
      expect(await failures(user.id), label).toBe(++counted);
    }
    // Replayed: an answer that signed someone in does nothing the second time.
    await db.delete(attemptCounters).where(eq(attemptCounters.key, keys.mfa(user.id)));
    const first = await login(user.email);
    const answer = key.authenticate(await passkeyLoginOptions(db, first.challenge));
    await verifyPasskeyLogin(db, first.challenge, { response: answer }, meta);
    const second = await login(user.email);
    await expect(verifyPasskeyLogin(db, second.challenge, { response: answer }, meta)).rejects.toBeInstanceOf(AppError);
    expect(await failures(user.id)).toBe(1);
    const reasons = await db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.challenge.failure")));
    expect(new Set(reasons.map((r) => r.detail.reason))).toEqual(new Set(["malformed", "unknown_key", "not_verified", "challenge"]));
    expect(reasons.every((r) => r.detail.method === "webauthn")).toBe(true);
  });

  it("one answer submitted twice at the same moment (two browsers) signs in once: the challenge is used atomically", async () => {
    const db = await getDb();
    const { user, key } = await withKey({ counter: 1 });
    const { token, challenge } = await login(user.email);
    const answer = key.authenticate(await passkeyLoginOptions(db, challenge));
    const results = await Promise.allSettled([1, 2, 3].map(() => verifyPasskeyLogin(db, challenge, { response: answer }, meta)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AppError);
    expect(await sessionRows(user.id)).toHaveLength(1);
    expect(await consumeChallenge(db, token, meta)).toBeNull();
  });

  it("refuses a counter that goes backwards (or stays put) and audits it; a key without a counter (0) keeps working", async () => {
    const db = await getDb();
    const { user, key } = await withKey({ counter: 10 });
    const { challenge } = await login(user.email);
    for (const counter of [10, 3]) {
      const error = await rejection(
        verifyPasskeyLogin(db, challenge, { response: key.authenticate(await passkeyLoginOptions(db, challenge), { counter }) }, meta),
      );
      expect(error.fieldErrors?.code?.[0]).toMatch(new RegExp(`^${WRONG_KEY}`));
    }
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.webauthn.counter_regressed")));
    expect(events.map((e) => e.detail)).toEqual([
      expect.objectContaining({ stored: 10, received: 10 }),
      expect.objectContaining({ stored: 10, received: 3 }),
    ]);
    expect(await failures(user.id)).toBe(2);
    await verifyPasskeyLogin(db, challenge, { response: key.authenticate(await passkeyLoginOptions(db, challenge)) }, meta);

    const zero = await withKey({ counter: 0 });
    for (let i = 0; i < 2; i++) {
      const { challenge: c } = await login(zero.user.email);
      await expect(
        verifyPasskeyLogin(db, c, { response: zero.key.authenticate(await passkeyLoginOptions(db, c)) }, meta),
      ).resolves.toBeTruthy();
    }
  });

  it("shares the lockout: after 10 failures the right key is refused too, and no new options are issued", async () => {
    const db = await getDb();
    const { user, key } = await withKey();
    const { challenge } = await login(user.email);
    for (let i = 0; i < MFA_LIMIT.max; i++) {
      await rejection(verifyPasskeyLogin(db, challenge, { response: "{}" }, meta));
    }
    expect((await rejection(passkeyLoginOptions(db, challenge))).code).toBe("rate_limited");
    const locked = await rejection(verifyPasskeyLogin(db, challenge, { response: key.authenticate({ challenge: "x" }) }, meta));
    expect(locked.message).toBe(LOCKED_MESSAGE(MFA_LIMIT.lockSeconds));
  });

  it("a key not allowed for the member's role does not count at login; removing a key needs the password", async () => {
    const db = await getDb();
    const { user, org, key } = await withKey({ role: "admin" });
    await db
      .update(organizations)
      .set({ adminMethods: ["totp"] })
      .where(eq(organizations.id, org.id));
    const restricted = { ...org, adminMethods: ["totp" as const] };
    expect(await usableFactors(db, user, restricted)).toHaveLength(0);
    // No usable factor: the password step no longer asks for the key.
    const step = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    expect(step.next).toBe("done");
    // Back to allowed: the key is asked for again.
    await db
      .update(organizations)
      .set({ adminMethods: ["webauthn"] })
      .where(eq(organizations.id, org.id));
    const { challenge } = await login(user.email);
    await verifyPasskeyLogin(db, challenge, { response: key.authenticate(await passkeyLoginOptions(db, challenge)) }, meta);
    // Removing the key needs the password.
    const factor = (await listFactors(db, user.id))[0]!;
    const wrong = await rejection(removeFactor(db, actorOf(user, restricted), { factorId: factor.id, password: "wrong password!" }, meta));
    expect(wrong.fieldErrors?.password).toBeDefined();
    await removeFactor(db, actorOf(user, restricted), { factorId: factor.id, password: PASSWORD }, meta);
    expect(await db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id))).toHaveLength(0);
  });
});
