/**
 * S40/S4/S24: a password reset asks for the second factor when the user has one other than email (an
 * authenticator app or recovery codes), in the failed-attempt budget shared with login and under the
 * TOTP replay guard, and binds the pass to the browser that made it; email codes alone do not count.
 * Setting the password ends every session, remembered browser and login in progress, emails the owner
 * without secrets, is audited, and signs nobody in: the next login still asks for the second factor.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { MFA_LIMIT } from "@/lib/attempts";
import { findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { findResetLink, stepUpOptions } from "@/lib/auth/reset-links";
import { STEP_UP_FIRST, completePasswordReset, verifyResetFactor } from "@/lib/auth/reset-password";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { auditEvents, loginChallenges, mfaFactors, rememberedDevices, sessions, users } from "@/lib/db/schema";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { LOCKED_MESSAGE, REPLAYED_TOTP, WRONG_RECOVERY, WRONG_TOTP, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { verifyPassword } from "@/lib/passwords";
import { PASSWORD, createUser, meta, orgWithAdmin, rejection, rememberBrowser } from "./factories";
import { NEW_PASSWORD, factorStep, freshMeta, mfaFailures, nextCode, requestLink, userWithApp, userWithEmailOnly } from "./reset-helpers";

const complete = async (token: string, proof: string | null, password = NEW_PASSWORD) =>
  completePasswordReset(await getDb(), { token, password, confirmPassword: password }, proof, {
    ip: "198.51.100.23",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  });
const verify = async (token: string, method: "totp" | "recovery", code: string) =>
  verifyResetFactor(await getDb(), { token, code }, method, meta);
const passwordIs = async (userId: string, password: string) => {
  const [row] = await (await getDb()).select().from(users).where(eq(users.id, userId));
  return verifyPassword(row!.passwordHash, password);
};

describe("the second factor before a new password (S40)", () => {
  it("is required with an authenticator app: without it, or with another browser's proof, nothing changes", async () => {
    const db = await getDb();
    const { user, org, secret } = await userWithApp();
    expect(await stepUpOptions(db, { user, org })).toEqual({ required: true, totp: true, recovery: true });
    const token = await requestLink(user.email);
    expect(await rejection(complete(token, null))).toMatchObject({ code: "forbidden", message: STEP_UP_FIRST });
    expect(await rejection(complete(token, "a-proof-made-up-by-someone-else"))).toMatchObject({ code: "forbidden" });

    const { proof } = await verify(token, "totp", await nextCode(secret));
    expect(await rejection(complete(token, "a-proof-made-up-by-someone-else"))).toMatchObject({ code: "forbidden" });
    expect(await passwordIs(user.id, PASSWORD)).toBe(true);
    await complete(token, proof);
    expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    const [verified] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "password.reset.verified"), eq(auditEvents.targetUserId, user.id)));
    expect(verified!.detail).toMatchObject({ method: "totp", factor: "Phone" });
    const [done] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "password.reset.completed"), eq(auditEvents.targetUserId, user.id)));
    expect(done).toMatchObject({ orgId: org.id, actorUserId: user.id, ip: "198.51.100.23" });
    expect(done!.detail).toMatchObject({ method: "totp", requestedBy: "user" });
  });

  it("counts wrong codes in the login's budget, and a lock there refuses the reset and the login alike", async () => {
    const db = await getDb();
    const { user, secret } = await userWithApp();
    const token = await requestLink(user.email);
    const wrong = await rejection(verify(token, "totp", "000000"));
    expect(wrong.fieldErrors?.code?.[0]).toBe(WRONG_TOTP);
    expect(await rejection(verify(token, "recovery", "0000-0000-0000-0000"))).toMatchObject({ fieldErrors: { code: [WRONG_RECOVERY] } });
    expect(await mfaFailures(user.id)).toBe(2);

    // The same counter as the login's second step: failures there and here add up.
    const { token: loginToken } = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    const challenge = (await findChallenge(db, loginToken))!;
    for (let i = 0; i < 5; i++) await rejection(verifyTotpLogin(db, challenge, { code: "000000" }, meta));
    expect(await mfaFailures(user.id)).toBe(7);
    for (let i = 7; i < MFA_LIMIT.max - 1; i++) await rejection(verify(token, "totp", "000000"));
    const locking = await rejection(verify(token, "totp", "000000"));
    expect(locking).toMatchObject({ code: "rate_limited", message: LOCKED_MESSAGE(MFA_LIMIT.lockSeconds) });
    // Locked: even the right code is refused, here and at login.
    expect((await rejection(verify(token, "totp", await nextCode(secret)))).code).toBe("rate_limited");
    expect((await rejection(verifyTotpLogin(db, challenge, { code: await nextCode(secret) }, meta))).code).toBe("rate_limited");
    const failures = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "mfa.challenge.failure"), eq(auditEvents.targetUserId, user.id)));
    expect(failures.filter((e) => e.detail.purpose === "password-reset").length).toBe(MFA_LIMIT.max - 1 - 5);
    const [locked] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "mfa.locked"), eq(auditEvents.targetUserId, user.id)));
    expect(locked!.detail).toMatchObject({ purpose: "password-reset", attempt: MFA_LIMIT.max });
    const lockMail = (await listDevMail(db, { to: user.email, limit: 10 })).find((m) =>
      m.subject.includes("Sign-in locked after failed codes"),
    );
    expect(lockMail!.text).toContain("to reset your password with a link emailed to this address");
  });

  it("refuses a code already used at login (replay guard, not counted), and the code it accepts cannot be used at login again", async () => {
    const db = await getDb();
    const { user, secret } = await userWithApp();
    const code = await nextCode(secret);
    const { token: loginToken } = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    await verifyTotpLogin(db, (await findChallenge(db, loginToken))!, { code }, meta);
    const step = await factorStep(user.id);

    const token = await requestLink(user.email);
    const replay = await rejection(verify(token, "totp", code));
    expect(replay.fieldErrors?.code?.[0]).toBe(REPLAYED_TOTP);
    expect(await mfaFailures(user.id)).toBe(0);
    expect(await factorStep(user.id)).toBe(step);
  });

  it("accepts a recovery code once, for an app user and for an email-codes user who has recovery codes", async () => {
    const db = await getDb();
    const app = await userWithApp();
    const token = await requestLink(app.user.email);
    const { proof } = await verify(token, "recovery", app.recoveryCodes[0]!);
    expect(await rejection(verify(await requestLink(app.user.email), "recovery", app.recoveryCodes[0]!))).toMatchObject({
      fieldErrors: { code: [WRONG_RECOVERY] },
    });
    // The first link was superseded by the second request.
    expect(await rejection(complete(token, proof))).toMatchObject({ code: "not_found" });

    const mail = await userWithEmailOnly({ recoveryCodes: true });
    expect(await stepUpOptions(db, mail)).toEqual({ required: true, totp: false, recovery: true });
    const mailToken = await requestLink(mail.user.email);
    expect(await rejection(complete(mailToken, null))).toMatchObject({ code: "forbidden" });
    expect(await rejection(verify(mailToken, "totp", "123456"))).toMatchObject({ code: "bad_request" });
    const passed = await verify(mailToken, "recovery", mail.recoveryCodes[3]!);
    await complete(mailToken, passed.proof);
    expect(await passwordIs(mail.user.id, NEW_PASSWORD)).toBe(true);
    const notice = (await listDevMail(db, { to: mail.user.email, limit: 10 })).find((m) => m.subject.includes("A recovery code was used"));
    expect(notice!.text).toContain("to confirm a password reset for your account. 9 recovery codes remain.");
  });

  it("is not asked when the only second factor is email codes (they reach the same mailbox), nor without 2FA", async () => {
    const db = await getDb();
    const mail = await userWithEmailOnly();
    expect(await stepUpOptions(db, mail)).toEqual({ required: false, totp: false, recovery: false });
    await complete(await requestLink(mail.user.email), null);
    expect(await passwordIs(mail.user.id, NEW_PASSWORD)).toBe(true);
    // The next login still asks for the email code.
    const { next } = await passwordStep(db, { email: mail.user.email, password: NEW_PASSWORD }, meta);
    expect(next).toBe("mfa");

    const { org } = await orgWithAdmin();
    const plain = await createUser(org.id);
    expect((await stepUpOptions(db, { user: plain, org })).required).toBe(false);
    expect(await rejection(verify(await requestLink(plain.email), "totp", "123456"))).toMatchObject({ code: "conflict" });
  });

  it("follows what login would ask: an app the organisation no longer allows is not asked for, recovery codes still are", async () => {
    const db = await getDb();
    const { user, org } = await userWithApp();
    const appOff = { ...org, allowTotp: false };
    // No usable factor left: login asks for none, and neither does the reset.
    expect(await stepUpOptions(db, { user, org: appOff })).toEqual({ required: false, totp: false, recovery: false });
    // With email codes still usable, login asks for a second factor: the reset asks for a recovery code.
    await db.insert(mfaFactors).values({ userId: user.id, orgId: org.id, type: "email", name: "Email", confirmedAt: new Date() });
    expect(await stepUpOptions(db, { user, org: appOff })).toEqual({ required: true, totp: false, recovery: true });
  });
});

describe("setting the new password (S4, S24, S25, S26)", () => {
  it("ends every session, remembered browser and login in progress, creates no session, emails the owner without secrets", async () => {
    const db = await getDb();
    const { user, org, secret } = await userWithApp();
    const sessionId = await createSession(db, { userId: user.id, orgId: org.id, method: "totp" });
    const claims = { uid: user.id, sid: sessionId, ver: user.sessionVersion };
    expect(await validateSession(db, claims)).not.toBeNull();
    await rememberBrowser(db, { ...user, org }, meta);
    const { token: pendingLogin } = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    const sessionsBefore = await db.select().from(sessions).where(eq(sessions.userId, user.id));

    const token = await requestLink(user.email, freshMeta());
    const { proof } = await verify(token, "totp", await nextCode(secret));
    const result = await complete(token, proof);
    expect(result).toEqual({ email: user.email });

    expect(await validateSession(db, claims)).toBeNull();
    expect(await db.select().from(rememberedDevices).where(eq(rememberedDevices.userId, user.id))).toHaveLength(0);
    expect(await findChallenge(db, pendingLogin)).toBeNull();
    expect(await db.select().from(loginChallenges).where(eq(loginChallenges.userId, user.id))).toHaveLength(0);
    // No session and no login challenge were created by the reset.
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(sessionsBefore.length);
    const [done] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "password.reset.completed"), eq(auditEvents.targetUserId, user.id)));
    expect(done!.detail).toMatchObject({ rememberedDevices: 1 });

    // The old password is gone; the new one still needs the second factor.
    expect((await rejection(passwordStep(db, { email: user.email, password: PASSWORD }, freshMeta()))).code).toBe("unauthorized");
    expect((await passwordStep(db, { email: user.email, password: NEW_PASSWORD }, freshMeta())).next).toBe("mfa");

    const mails = await listDevMail(db, { to: user.email, limit: 20 });
    const notice = mails.find((m) => m.subject === "Guardian security notice: Your password was reset");
    expect(notice!.text).toContain("Your authenticator app was confirmed before the new password was chosen.");
    expect(notice!.text).toContain("198.51.100.23");
    expect(notice!.text).toContain("Firefox 128 on Linux");
    const everything = `${notice!.subject}\n${notice!.text}\n${notice!.html}`;
    for (const secretValue of [token, proof, NEW_PASSWORD, PASSWORD, secret]) expect(everything).not.toContain(secretValue);
    expect((await findResetLink(db, token)).status).toBe("used");
  });

  it("refuses the email address and common passwords, and changes nothing", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const token = await requestLink(user.email);
    for (const password of [user.email, user.email.toUpperCase(), user.email.split("@")[0]!]) {
      const e = await rejection(complete(token, null, password));
      expect(e.fieldErrors?.password?.[0]).toBe("Do not use your email address as your password.");
    }
    expect((await findResetLink(db, token)).status).toBe("ok");
    expect(await passwordIs(user.id, PASSWORD)).toBe(true);
  });
});
