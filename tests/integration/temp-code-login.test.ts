/**
 * Temporary access codes at login (S4, S7, S8, S37, S40): the code replaces the second factor once,
 * never the password; it counts in the per-account budget shared with every factor; of concurrent uses
 * exactly one signs in; used, revoked and expired codes get their own message; "remove the old factors"
 * happens at use, in the same transaction, and the member can still enrol afterwards when 2FA is
 * required; the use is audited and emailed without the code.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { issueTempCode, revokeTempCode } from "@/lib/admin/temp-codes";
import { MFA_LIMIT, isLocked, keys } from "@/lib/attempts";
import { mfaAccess } from "@/lib/auth/access";
import { consumeChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { auditEvents, loginChallenges, mfaFactors, organizations, recoveryCodes, rememberedDevices, users } from "@/lib/db/schema";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import {
  EXPIRED_TEMP_CODE,
  REVOKED_TEMP_CODE,
  TEMP_CODES_OFF,
  USED_TEMP_CODE,
  WRONG_TEMP_CODE,
  tempCodeLoginSchema,
  verifyTempCodeLogin,
} from "@/lib/mfa/temp-code-login";
import { TEMP_CODE_FORMAT_MESSAGE } from "@/lib/mfa/temp-codes";
import { currentTotp } from "@/lib/mfa/totp";
import { LOCKED_MESSAGE, verifyRecoveryLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, expectOpenedSession, meta, rejection, sessionRows } from "./factories";
import { addFactor, auditFor, codeRows, expire, issueFor, issueInput, mailTo, pendingLogin, world } from "./temp-code-world";

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "");
});

/** The code as the login form submits it (parsed by the same schema as the server action). */
const typed = (code: string) => tempCodeLoginSchema.parse({ code });

async function openSession(user: { id: string; orgId: string }) {
  const db = await getDb();
  const sid = await createSession(db, { userId: user.id, orgId: user.orgId, method: "totp" });
  const [row] = await db.select({ ver: users.sessionVersion }).from(users).where(eq(users.id, user.id));
  return { uid: user.id, sid, ver: row!.ver };
}

describe("signing in with a temporary access code", () => {
  it("replaces the second factor once: the session is made, the code is used, the member's factors stay; audited and emailed without the code", async () => {
    const db = await getDb();
    const w = await world();
    const { code, codeId } = await issueFor(w);
    const { token, challenge } = await pendingLogin(w.agent.email);
    // Typed with lower case, spaces and dashes, as read over the phone.
    const sloppy = ` ${code.toLowerCase().replace(/-/g, " - ")} `;
    expect(await consumeChallenge(db, token, meta)).toBeNull(); // no session before the code
    expect(await sessionRows(w.agent.id)).toHaveLength(0);
    const result = await verifyTempCodeLogin(db, challenge, typed(sloppy), meta);
    expect(result).toMatchObject({ method: "temp_code", factorsRemoved: false });
    const done = result.session;
    await expectOpenedSession(done, { userId: w.agent.id, method: "temp_code", challengeToken: token });
    expect(await validateSession(db, { uid: w.agent.id, sid: done.sessionId, ver: done.sessionVersion })).not.toBeNull();
    expect(await sessionRows(w.agent.id)).toHaveLength(1);
    expect((await codeRows(w.agent.id))[0]).toMatchObject({ id: codeId, endReason: "used" });
    expect(await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.agent.id))).toHaveLength(1);

    const [used] = await auditFor(w.org.id, "mfa.temp_code.used");
    expect(used).toMatchObject({
      actorUserId: w.agent.id,
      targetUserId: w.agent.id,
      ip: meta.ip,
      detail: { codeId, factorsRemoved: false },
    });
    const [passed] = await auditFor(w.org.id, "mfa.challenge.success");
    expect(passed!.detail).toMatchObject({ method: "temp_code" });
    const mails = await mailTo(w.agent.email);
    const notice = mails.find((m) => m.subject.includes("A temporary access code was used"));
    expect(notice, "the security email").toBeDefined();
    for (const m of mails) expect(m.text + m.html).not.toContain(code.replace(/-/g, ""));

    // Never again: a second login with the same code is refused with its own message.
    const again = await pendingLogin(w.agent.email);
    const reused = await rejection(verifyTempCodeLogin(db, again.challenge, typed(code), meta));
    expect(reused.fieldErrors?.code?.[0]).toContain(USED_TEMP_CODE);
  });

  it("refuses a garbled code before counting it, and another member's code is simply not valid", async () => {
    const db = await getDb();
    const w = await world();
    for (const bad of ["", "ABCD", "ABCD-EFGH-JKM0", "ABCD-EFGH-JKMN-P", "<script>"]) {
      expect(tempCodeLoginSchema.safeParse({ code: bad }).error?.issues[0]?.message).toBe(TEMP_CODE_FORMAT_MESSAGE);
    }
    const { challenge } = await pendingLogin(w.agent.email);
    const second = await createUser(w.org.id);
    await addFactor(second);
    const { code: theirs } = await issueTempCode(db, w.actor, issueInput(second.id), meta);
    const refused = await rejection(verifyTempCodeLogin(db, challenge, typed(theirs), meta));
    expect(refused.fieldErrors?.code?.[0]).toBe(WRONG_TEMP_CODE);
    expect((await codeRows(second.id))[0]!.endedAt).toBeNull();
  });

  it("S8 / S3: eight concurrent uses of one code from eight logins give exactly one session", async () => {
    const db = await getDb();
    const w = await world();
    const { code } = await issueFor(w);
    const logins = [];
    for (let i = 0; i < 8; i++) logins.push(await pendingLogin(w.agent.email));
    const results = await Promise.allSettled(logins.map((l) => verifyTempCodeLogin(db, l.challenge, typed(code), meta)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const rows = await sessionRows(w.agent.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(won[0]!.value.session.sessionId);
    // The losing logins' challenges were not completed: none of them opens a session later.
    const later = await Promise.all(logins.map((l) => consumeChallenge(db, l.token, meta)));
    expect(later.filter(Boolean)).toHaveLength(0);
    expect(await sessionRows(w.agent.id)).toHaveLength(1);
    expect(await auditFor(w.org.id, "mfa.temp_code.used")).toHaveLength(1);
  });

  it("S7: wrong codes count in the budget shared with the other factors; at the limit even the right code is refused and stays unused", async () => {
    const db = await getDb();
    const w = await world();
    const { code } = await issueFor(w);
    const { challenge } = await pendingLogin(w.agent.email);
    for (let i = 0; i < 5; i++) await rejection(verifyRecoveryLogin(db, challenge, { code: "0000-0000-0000-0000" }, meta));
    const wrong = "ZZZZ-ZZZZ-ZZZZ";
    for (let i = 6; i < MFA_LIMIT.max; i++) {
      const error = await rejection(verifyTempCodeLogin(db, challenge, typed(wrong), meta));
      expect(error.fieldErrors?.code?.[0]).toContain(WRONG_TEMP_CODE);
      if (i >= 7) expect(error.fieldErrors?.code?.[0]).toMatch(/(try|tries) left/);
    }
    const locking = await rejection(verifyTempCodeLogin(db, challenge, typed(wrong), meta));
    expect(locking).toMatchObject({ code: "rate_limited", message: LOCKED_MESSAGE(MFA_LIMIT.lockSeconds) });
    expect(await isLocked(db, keys.mfa(w.agent.id))).toBe(true);
    // A new login does not reset it, and the right code is not even checked.
    const fresh = await pendingLogin(w.agent.email);
    expect((await rejection(verifyTempCodeLogin(db, fresh.challenge, typed(code), meta))).code).toBe("rate_limited");
    expect((await codeRows(w.agent.id))[0]!.endedAt).toBeNull();
    const failures = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, w.agent.id), sql`${auditEvents.detail}->>'method' = 'temp_code'`))
      .orderBy(auditEvents.id);
    expect(failures.map((f) => f.event)).toEqual([...Array(4).fill("mfa.challenge.failure"), "mfa.locked"]);
  });

  it("revoked and expired codes get their own messages and are counted; an expired code is recorded as expired once", async () => {
    const db = await getDb();
    const w = await world();
    const first = await issueFor(w);
    await revokeTempCode(db, w.actor, { codeId: first.codeId }, meta);
    const { challenge } = await pendingLogin(w.agent.email);
    expect((await rejection(verifyTempCodeLogin(db, challenge, typed(first.code), meta))).fieldErrors?.code?.[0]).toBe(REVOKED_TEMP_CODE);

    const second = await issueFor(w);
    await expire(second.codeId);
    const attempts = await Promise.allSettled([1, 2, 3].map(() => verifyTempCodeLogin(db, challenge, typed(second.code), meta)));
    for (const a of attempts) {
      expect(a.status).toBe("rejected");
      expect((a as PromiseRejectedResult).reason.fieldErrors?.code?.[0]).toBe(EXPIRED_TEMP_CODE);
    }
    expect(await auditFor(w.org.id, "mfa.temp_code.expired")).toHaveLength(1);
    expect((await codeRows(w.agent.id)).find((r) => r.id === second.codeId)).toMatchObject({ endReason: "expired" });
    const counted = await auditFor(w.org.id, "mfa.challenge.failure");
    expect(counted).toHaveLength(4);
  });

  it("is refused, uncounted, when the organisation turned codes off", async () => {
    const db = await getDb();
    const w = await world();
    const { code } = await issueFor(w);
    // Straight in the database (the policy page would also revoke the code): the login checks the switch itself.
    await db.update(organizations).set({ tempCodesEnabled: false }).where(eq(organizations.id, w.org.id));
    const { challenge } = await pendingLogin(w.agent.email);
    expect(await rejection(verifyTempCodeLogin(db, challenge, typed(code), meta))).toMatchObject({
      code: "forbidden",
      message: TEMP_CODES_OFF,
    });
    expect(await auditFor(w.org.id, "mfa.challenge.failure")).toHaveLength(0);
    expect(await isLocked(db, keys.mfa(w.agent.id))).toBe(false);
  });
});

describe("“also remove the old factors”", () => {
  it("removes nothing at issue or when the code is never used", async () => {
    const db = await getDb();
    const w = await world();
    const { codeId } = await issueFor(w, { removeFactors: true });
    expect(await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.agent.id))).toHaveLength(1);
    await revokeTempCode(db, w.actor, { codeId }, meta);
    expect(await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.agent.id))).toHaveLength(1);
  });

  it("at use, in the same transaction: factors, recovery codes, remembered browsers, other sessions and logins end; this login signs in; with 2FA required the member can only enrol, and can", async () => {
    const db = await getDb();
    const w = await world({ require2fa: true });
    await db.insert(recoveryCodes).values({ userId: w.agent.id, codeHash: sha256("old-recovery") });
    await db
      .insert(rememberedDevices)
      .values({ userId: w.agent.id, orgId: w.org.id, tokenHash: sha256(`dev-${w.agent.id}`), expiresAt: sql`now() + interval '30 days'` });
    const oldSession = await openSession(w.agent);
    const { code, codeId } = await issueFor(w, { removeFactors: "on" });
    const other = await pendingLogin(w.agent.email);
    const mine = await pendingLogin(w.agent.email);

    const result = await verifyTempCodeLogin(db, mine.challenge, typed(code), meta);
    expect(result).toMatchObject({ method: "temp_code", factorsRemoved: true });
    expect(await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.agent.id))).toHaveLength(0);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, w.agent.id))).toHaveLength(0);
    expect(await db.select().from(rememberedDevices).where(eq(rememberedDevices.userId, w.agent.id))).toHaveLength(0);
    expect(await validateSession(db, oldSession)).toBeNull();
    expect(await db.select().from(loginChallenges).where(eq(loginChallenges.id, other.challenge.challenge.id))).toHaveLength(0);
    const [used] = await auditFor(w.org.id, "mfa.temp_code.used");
    expect(used!.detail).toMatchObject({ codeId, factorsRemoved: true, factors: 1, recoveryCodes: 1, rememberedDevices: 1 });
    const notice = (await mailTo(w.agent.email)).find((m) => m.subject.includes("A temporary access code was used"));
    expect(notice!.text).toContain("your previous second factors, recovery codes and remembered browsers were removed");

    // This login goes on to a session, under the new session version.
    const done = result.session;
    await expectOpenedSession(done, { userId: w.agent.id, method: "temp_code", challengeToken: mine.token });
    const claims = { uid: w.agent.id, sid: done.sessionId, ver: done.sessionVersion };
    const current = await validateSession(db, claims);
    expect(current).not.toBeNull();
    // 2FA is required and they have none: the session reaches enrolment only (S31), and enrolling works.
    expect((await mfaAccess(db, current!)).mustEnrol).toBe(true);
    const actor = { ...w.agent, org: w.org, sessionId: done.sessionId };
    const started = await startTotpEnrolment(db, actor);
    await confirmTotpEnrolment(db, actor, { factorId: started.factorId, name: "New phone", code: await currentTotp(started.secret) }, meta);
    expect((await mfaAccess(db, (await validateSession(db, claims))!)).mustEnrol).toBe(false);
  });

  it("a member who signs out before enrolling sets up 2FA at the next sign-in (as after Remove 2FA)", async () => {
    const db = await getDb();
    const w = await world({ require2fa: true });
    const { code } = await issueFor(w, { removeFactors: true });
    const { token, challenge } = await pendingLogin(w.agent.email);
    const { session } = await verifyTempCodeLogin(db, challenge, typed(code), meta);
    await expectOpenedSession(session, { userId: w.agent.id, method: "temp_code", challengeToken: token });
    const next = await passwordStep(db, { email: w.agent.email, password: PASSWORD }, meta);
    expect(next.next).toBe("enrol");
  });
});
