import { execFileSync } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { MFA_LIMIT, keys, resetAttempts } from "@/lib/attempts";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { decrypt } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { auditEvents, mfaFactors, recoveryCodes, type organizations, type users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { MfaActor } from "@/lib/mfa/actor";
import { WRONG_EMAIL_CODE } from "@/lib/mfa/email-codes";
import { verifyEmailLogin } from "@/lib/mfa/email-login";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { listFactors, usableFactors } from "@/lib/mfa/factors";
import { REQUIRED_BY_ADMIN_MESSAGE, disableMfa, regenerateRecoveryCodes, removeFactor, renameFactor } from "@/lib/mfa/manage";
import { currentTotp } from "@/lib/mfa/totp";
import { LOCKED_MESSAGE, REPLAYED_TOTP, WRONG_RECOVERY, WRONG_TOTP, verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, meta, orgWithAdmin, rejection, sessionRows } from "./factories";

type User = typeof users.$inferSelect;
type Org = typeof organizations.$inferSelect;

const actorOf = (user: User, org: Org, sessionId?: string): MfaActor => ({ ...user, org, sessionId });
const now = () => Math.floor(Date.now() / 1000);
/** The code one step ahead: accepted (one step of drift) and always later than the step used at enrolment. */
const nextCode = (secret: string) => currentTotp(secret, now() + 30);

async function enrolledUser(values: Partial<User> = {}) {
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id, values);
  const started = await startTotpEnrolment(db, actorOf(user, org));
  const confirmed = await confirmTotpEnrolment(
    db,
    actorOf(user, org),
    { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) },
    meta,
  );
  return { user, org, secret: started.secret, recoveryCodes: confirmed.recoveryCodes!, factorId: started.factorId };
}

async function pendingChallenge(email: string) {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password: PASSWORD }, meta);
  expect(next).toBe("mfa");
  const challenge = await findChallenge(db, token);
  return { token, challenge: challenge! };
}

describe("authenticator-app enrolment", () => {
  it("stores the secret only encrypted, activates only after a valid code, and returns ten recovery codes once", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const started = await startTotpEnrolment(db, actorOf(user, org));
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits, Base32, no padding
    expect(started.uri).toContain(`secret=${started.secret}`);

    const [raw] = await db.select().from(mfaFactors).where(eq(mfaFactors.id, started.factorId));
    expect(JSON.stringify(raw)).not.toContain(started.secret);
    expect(decrypt(raw!.secretEnc!)).toBe(started.secret);
    expect(raw!.confirmedAt).toBeNull();
    expect(await usableFactors(db, user, org)).toHaveLength(0);

    const wrong = await rejection(
      confirmTotpEnrolment(db, actorOf(user, org), { factorId: started.factorId, name: "Phone", code: "000000" }),
    );
    expect(wrong.fieldErrors?.code?.[0]).toMatch(/did not match/);
    expect(await usableFactors(db, user, org)).toHaveLength(0);
    // Before the first valid code, the password alone still signs in: 2FA is not active yet.
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).next).toBe("done");

    const confirmed = await confirmTotpEnrolment(
      db,
      actorOf(user, org),
      { factorId: started.factorId, name: "Pixel", code: await currentTotp(started.secret) },
      meta,
    );
    expect(confirmed.recoveryCodes).toHaveLength(10);
    for (const c of confirmed.recoveryCodes!) expect(c).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(confirmed.recoveryCodes![0]!.replace(/-/g, ""));
    expect((await listFactors(db, user.id)).map((f) => f.name)).toEqual(["Pixel"]);

    // A second authenticator does not replace the recovery codes.
    const second = await startTotpEnrolment(db, actorOf(user, org));
    const again = await confirmTotpEnrolment(
      db,
      actorOf(user, org),
      { factorId: second.factorId, name: "Tablet", code: await currentTotp(second.secret) },
      meta,
    );
    expect(again.recoveryCodes).toBeNull();
    expect(await listFactors(db, user.id)).toHaveLength(2);
  });

  it("refuses to confirm another user's pending factor", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const a = await createUser(org.id);
    const b = await createUser(org.id);
    const started = await startTotpEnrolment(db, actorOf(a, org));
    const e = await rejection(
      confirmTotpEnrolment(db, actorOf(b, org), { factorId: started.factorId, name: "x", code: await currentTotp(started.secret) }),
    );
    expect(e.code).toBe("not_found");
  });
});

describe("login with an authenticator app", () => {
  it("asks for the second factor after the password and creates no session until it passes", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const { token, challenge } = await pendingChallenge(user.email);
    expect(await consumeChallenge(db, token, meta)).toBeNull();
    expect(await sessionRows(user.id)).toHaveLength(0);
    const { session } = await verifyTotpLogin(db, challenge, { code: await nextCode(secret) }, meta);
    expect(session.userId).toBe(user.id);
    expect(session.method).toBe("totp");
    const rows = await sessionRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: session.sessionId, userId: user.id, method: "totp", revokedAt: null });
    // The verification consumed the challenge: it cannot open a second session.
    expect(await consumeChallenge(db, token, meta)).toBeNull();
    expect(await sessionRows(user.id)).toHaveLength(1);
  });

  it("accepts codes from Debian's oathtool, an independent implementation", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const code = execFileSync("oathtool", ["--totp", "-b", "--now", new Date((now() + 30) * 1000).toISOString(), secret], {
      encoding: "utf8",
    }).trim();
    expect(code).toBe(await nextCode(secret));
    const { challenge } = await pendingChallenge(user.email);
    await expect(verifyTotpLogin(db, challenge, { code }, meta)).resolves.toMatchObject({ session: { userId: user.id, method: "totp" } });
  });

  it("refuses a replayed code, and any code for an earlier step", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const code = await nextCode(secret);
    const first = await pendingChallenge(user.email);
    await verifyTotpLogin(db, first.challenge, { code }, meta);
    const second = await pendingChallenge(user.email);
    const replay = await rejection(verifyTotpLogin(db, second.challenge, { code }, meta));
    expect(replay.fieldErrors?.code?.[0]).toBe(REPLAYED_TOTP);
    // A code for an earlier step can never be used either: the same answer (wait for the next code).
    const earlier = await rejection(verifyTotpLogin(db, second.challenge, { code: await currentTotp(secret) }, meta));
    expect(earlier.fieldErrors?.code?.[0]).toBe(REPLAYED_TOTP);
    expect(await consumeChallenge(db, second.token, meta)).toBeNull();
    expect(await sessionRows(user.id)).toHaveLength(1); // the first login's only
  });

  it("two browsers submitting the same code at the same moment get one session", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const code = await nextCode(secret);
    const browsers = await Promise.all([pendingChallenge(user.email), pendingChallenge(user.email), pendingChallenge(user.email)]);
    const results = await Promise.allSettled(browsers.map((b) => verifyTotpLogin(db, b.challenge, { code }, meta)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    // The others are told the code was used (by the browser that won), not that they typed it wrong.
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).fieldErrors?.code?.[0]).toBe(REPLAYED_TOTP);
    const rows = await sessionRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(won[0]!.value.session.sessionId);
    // No challenge is left to open another session later.
    expect((await Promise.all(browsers.map((b) => consumeChallenge(db, b.token, meta)))).filter(Boolean)).toHaveLength(0);
    expect(await sessionRows(user.id)).toHaveLength(1);
  });

  it("50 concurrent wrong codes get no more than 10 tries, then a 15-minute lockout refuses even the right code", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const { challenge } = await pendingChallenge(user.email);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => verifyTotpLogin(db, challenge, { code: "000000" }, meta)));
    const errors = results.map((r) => (r.status === "rejected" ? (r.reason as AppError) : null));
    // Nine "not valid" replies; the tenth failure answers with the lockout itself, like the 40 refused.
    expect(errors.filter((e) => e?.fieldErrors?.code?.[0]?.startsWith(WRONG_TOTP))).toHaveLength(MFA_LIMIT.max - 1);
    expect(errors.filter((e) => e?.code === "rate_limited")).toHaveLength(50 - MFA_LIMIT.max + 1);
    expect(errors.every((e) => e?.code !== "rate_limited" || e.message === LOCKED_MESSAGE(MFA_LIMIT.lockSeconds))).toBe(true);
    const locked = await rejection(verifyTotpLogin(db, challenge, { code: await nextCode(secret) }, meta));
    expect(locked.message).toBe(LOCKED_MESSAGE(15 * 60));
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.locked")));
    expect(events).toHaveLength(1);
  });

  it("a wrong code keeps the challenge; the budget is shared across challenges and a success resets it", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const a = await pendingChallenge(user.email);
    for (let i = 0; i < 5; i++) await rejection(verifyTotpLogin(db, a.challenge, { code: "111111" }, meta));
    const b = await pendingChallenge(user.email); // a new login does not reset the count
    for (let i = 0; i < 4; i++) await rejection(verifyTotpLogin(db, b.challenge, { code: "111111" }, meta));
    // Ninth failure so far; the tenth attempt is the right code on the first challenge: accepted, count reset.
    await verifyTotpLogin(db, a.challenge, { code: await nextCode(secret) }, meta);
    const c = await pendingChallenge(user.email);
    for (let i = 0; i < 9; i++) {
      const e = await rejection(verifyTotpLogin(db, c.challenge, { code: "111111" }, meta));
      expect(e.code).toBe("bad_request");
    }
    await resetAttempts(db, keys.mfa(user.id));
  });
});

describe("a sign-in that ended while the code was typed", () => {
  it("refuses the code without using it up: the same code still signs in through a new sign-in", async () => {
    const db = await getDb();
    const { user, secret, factorId } = await enrolledUser();
    const { challenge, token } = await pendingChallenge(user.email);
    const code = await nextCode(secret);
    const [before] = await db.select({ step: mfaFactors.lastUsedStep }).from(mfaFactors).where(eq(mfaFactors.id, factorId));
    // The sign-in expires (or another tab finished it) between the lookup and the check.
    await db.execute(sql`UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE id = ${challenge.challenge.id}`);
    const error = await rejection(verifyTotpLogin(db, challenge, { code }, meta));
    expect(error.code).toBe("conflict");
    const [after] = await db.select({ step: mfaFactors.lastUsedStep }).from(mfaFactors).where(eq(mfaFactors.id, factorId));
    expect(after?.step).toBe(before?.step);
    expect(await consumeChallenge(db, token, meta)).toBeNull();
    expect(await sessionRows(user.id)).toHaveLength(0);

    const again = await pendingChallenge(user.email);
    const result = await verifyTotpLogin(db, again.challenge, { code }, meta);
    expect(result.session.userId).toBe(user.id);
  });
});

describe("what the second step answers", () => {
  const left = (n: number) => ` ${n} ${n === 1 ? "try" : "tries"} left before two-step sign-in is locked for 15 minutes.`;

  it("from the 7th failure in a row it says how many tries are left, and the failure that locks says so (every method alike)", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const { challenge } = await pendingChallenge(user.email);
    const wrongTotp = async () => (await rejection(verifyTotpLogin(db, challenge, { code: "000000" }, meta))).fieldErrors?.code?.[0];
    for (let i = 1; i <= 6; i++) expect(await wrongTotp()).toBe(WRONG_TOTP);
    expect((await rejection(verifyRecoveryLogin(db, challenge, { code: "0000-0000-0000-0000" }, meta))).fieldErrors?.code?.[0]).toBe(
      WRONG_RECOVERY + left(3),
    );
    expect((await rejection(verifyEmailLogin(db, challenge, { code: "000000" }, meta))).fieldErrors?.code?.[0]).toBe(
      WRONG_EMAIL_CODE + left(2),
    );
    expect(await wrongTotp()).toBe(WRONG_TOTP + left(1));
    // The 10th failure: the reply is the lockout, with the limit's own lock time.
    const locking = await rejection(verifyTotpLogin(db, challenge, { code: "000000" }, meta));
    expect(locking.code).toBe("rate_limited");
    expect(locking.message).toBe(LOCKED_MESSAGE(MFA_LIMIT.lockSeconds));
    expect(locking.message).toContain("locked for 15 minutes");
    expect((await rejection(verifyTotpLogin(db, challenge, { code: await nextCode(secret) }, meta))).message).toBe(
      LOCKED_MESSAGE(MFA_LIMIT.lockSeconds),
    );
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.locked")));
    expect(events.map((e) => e.detail)).toEqual([{ method: "totp", attempt: MFA_LIMIT.max }]);
  });

  it("a code already used says so and is not counted as a failure; one landing on the locking attempt keeps the lock", async () => {
    const db = await getDb();
    const { user, secret } = await enrolledUser();
    const code = await nextCode(secret);
    await verifyTotpLogin(db, (await pendingChallenge(user.email)).challenge, { code }, meta);
    const { challenge } = await pendingChallenge(user.email);
    for (let i = 1; i <= 8; i++) await rejection(verifyTotpLogin(db, challenge, { code: "000000" }, meta));
    // Eight failures so far: the replay is answered as such (still warning) and the count stays at eight...
    expect((await rejection(verifyTotpLogin(db, challenge, { code }, meta))).fieldErrors?.code?.[0]).toBe(REPLAYED_TOTP + left(2));
    expect((await rejection(verifyTotpLogin(db, challenge, { code }, meta))).fieldErrors?.code?.[0]).toBe(REPLAYED_TOTP + left(2));
    // ...so the next wrong code is the 9th failure, not the 10th or 11th.
    expect((await rejection(verifyTotpLogin(db, challenge, { code: "000000" }, meta))).fieldErrors?.code?.[0]).toBe(WRONG_TOTP + left(1));
    const replays = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.challenge.failure")));
    expect(replays.filter((e) => (e.detail as { reason?: string }).reason === "replayed")).toHaveLength(2);
    // With nine failures the reservation for a replay is the locking one: the lock stands.
    const locked = await rejection(verifyTotpLogin(db, challenge, { code }, meta));
    expect(locked.message).toBe(LOCKED_MESSAGE(MFA_LIMIT.lockSeconds));
    expect((await rejection(verifyTotpLogin(db, challenge, { code: "000000" }, meta))).code).toBe("rate_limited");
  });
});

describe("recovery codes", () => {
  it("each works once, concurrent uses of one code give one success, and the remaining count is reported", async () => {
    const db = await getDb();
    const { user, recoveryCodes: codes } = await enrolledUser();
    const a = await pendingChallenge(user.email);
    const used = await verifyRecoveryLogin(db, a.challenge, { code: codes[0]!.toUpperCase().replace(/-/g, " ") }, meta);
    expect(used).toMatchObject({ session: { userId: user.id, method: "recovery" }, rememberedDevice: null, remaining: 9, low: false });
    expect(await sessionRows(user.id)).toEqual([expect.objectContaining({ id: used.session.sessionId, method: "recovery" })]);
    expect(await consumeChallenge(db, a.token, meta)).toBeNull(); // consumed by the verification

    const b = await pendingChallenge(user.email);
    await rejection(verifyRecoveryLogin(db, b.challenge, { code: codes[0]! }, meta));

    const browsers = await Promise.all([pendingChallenge(user.email), pendingChallenge(user.email)]);
    const results = await Promise.allSettled(browsers.map((x) => verifyRecoveryLogin(db, x.challenge, { code: codes[1]! }, meta)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await sessionRows(user.id)).toHaveLength(2); // a's, and the one winner's

    for (const code of codes.slice(2, 7)) {
      const c = await pendingChallenge(user.email);
      await verifyRecoveryLogin(db, c.challenge, { code }, meta);
    }
    const low = await pendingChallenge(user.email);
    expect(await verifyRecoveryLogin(db, low.challenge, { code: codes[7]! }, meta)).toMatchObject({
      session: { userId: user.id, method: "recovery" },
      remaining: 2,
      low: true,
    });
  });

  it("regenerating needs the password and the old set stops working at once", async () => {
    const db = await getDb();
    const { user, org, recoveryCodes: old } = await enrolledUser();
    await rejection(regenerateRecoveryCodes(db, actorOf(user, org), { password: "wrong password" }));
    const fresh = await regenerateRecoveryCodes(db, actorOf(user, org), { password: PASSWORD }, meta);
    expect(fresh).toHaveLength(10);
    const c = await pendingChallenge(user.email);
    await rejection(verifyRecoveryLogin(db, c.challenge, { code: old[0]! }, meta));
    await expect(verifyRecoveryLogin(db, c.challenge, { code: fresh[0]! }, meta)).resolves.toMatchObject({ remaining: 9 });
  });
});

describe("managing and turning off 2FA", () => {
  it("renames; removing needs the password and ends other sessions", async () => {
    const db = await getDb();
    const { user, org, factorId } = await enrolledUser();
    const current = await createSession(db, { userId: user.id, orgId: org.id, method: "totp" });
    const other = await createSession(db, { userId: user.id, orgId: org.id, method: "totp" });
    await renameFactor(db, actorOf(user, org), { factorId, name: "Work phone" }, meta);
    expect((await listFactors(db, user.id))[0]!.name).toBe("Work phone");
    const wrong = await rejection(removeFactor(db, actorOf(user, org, current), { factorId, password: "bad password" }));
    expect(wrong.fieldErrors?.password?.[0]).toBe("Incorrect password.");
    await removeFactor(db, actorOf(user, org, current), { factorId, password: PASSWORD }, meta);
    expect(await listFactors(db, user.id)).toHaveLength(0);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await validateSession(db, { uid: user.id, sid: other, ver: user.sessionVersion })).toBeNull();
    expect(await validateSession(db, { uid: user.id, sid: current, ver: user.sessionVersion })).not.toBeNull();
  });

  it("turning off needs the password, removes every factor and code, and ends other sessions", async () => {
    const db = await getDb();
    const { user, org } = await enrolledUser();
    const other = await createSession(db, { userId: user.id, orgId: org.id, method: "totp" });
    await rejection(disableMfa(db, actorOf(user, org), { password: "bad password" }));
    expect(await listFactors(db, user.id)).toHaveLength(1);
    await disableMfa(db, actorOf(user, org), { password: PASSWORD }, meta);
    expect(await listFactors(db, user.id)).toHaveLength(0);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await validateSession(db, { uid: user.id, sid: other, ver: user.sessionVersion })).toBeNull();
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).next).toBe("done");
  });

  it("refuses turning off, or removing the last factor, when the admin enforced 2FA or the organisation requires it", async () => {
    const db = await getDb();
    const enforced = await enrolledUser({ mfaEnforced: true });
    const e1 = await rejection(disableMfa(db, actorOf(enforced.user, enforced.org), { password: PASSWORD }));
    expect(e1.message).toBe(REQUIRED_BY_ADMIN_MESSAGE);
    const e2 = await rejection(removeFactor(db, actorOf(enforced.user, enforced.org), { factorId: enforced.factorId, password: PASSWORD }));
    expect(e2.message).toBe(REQUIRED_BY_ADMIN_MESSAGE);
    expect(await listFactors(db, enforced.user.id)).toHaveLength(1);

    const byOrg = await enrolledUser();
    const org = { ...byOrg.org, require2fa: true };
    const e3 = await rejection(disableMfa(db, actorOf(byOrg.user, org), { password: PASSWORD }));
    expect(e3.message).toMatch(/administrator requires two-factor/);
  });
});
