/**
 * S38: lowering a trust setting takes effect on what exists (remembered browsers, factors of a method
 * turned off). S31: a signed-in session gets the policy of *now* on every request — a session that
 * skipped setup during the grace period gets enrolment only once the grace period is cleared or over.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { updatePolicy } from "@/lib/admin/settings";
import { mfaAccess } from "@/lib/auth/access";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { auditEvents, mfaFactors, rememberedDevices, type FactorType, type users } from "@/lib/db/schema";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { WRONG_EMAIL_CODE } from "@/lib/mfa/email-codes";
import { sendLoginEmailCode, verifyEmailLogin } from "@/lib/mfa/email-login";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { usableFactors } from "@/lib/mfa/factors";
import { skipLoginEnrolment } from "@/lib/mfa/login-enrolment";
import { currentTotp } from "@/lib/mfa/totp";
import { WRONG_TOTP, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, expectOpenedSession, meta, orgWithAdmin, policy, rememberBrowser } from "./factories";

type User = typeof users.$inferSelect;
const day = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.stubEnv("SMTP_URL", ""); // email codes go to the dev mailbox
});

/** A confirmed factor row (the admin's own 2FA, for the S28 guard; email factors need no secret). */
async function addFactor(user: { id: string; orgId: string }, type: FactorType) {
  const db = await getDb();
  await db.insert(mfaFactors).values({
    userId: user.id,
    orgId: user.orgId,
    type,
    name: type,
    secretEnc: type === "totp" ? "v1.not.a.real-secret" : null,
    confirmedAt: new Date(),
  });
}

async function world(orgValues: Parameters<typeof orgWithAdmin>[0] = {}) {
  const { org, admin } = await orgWithAdmin(orgValues);
  await addFactor(admin, "totp");
  await addFactor(admin, "email");
  return { org, admin, actor: { id: admin.id, orgId: org.id } };
}

/** An agent with an authenticator app, set up for real; returns its secret. */
async function totpAgent(org: Awaited<ReturnType<typeof world>>["org"]) {
  const db = await getDb();
  const user = await createUser(org.id);
  const started = await startTotpEnrolment(db, { ...user, org });
  await confirmTotpEnrolment(
    db,
    { ...user, org },
    { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) },
    meta,
  );
  return { user, secret: started.secret };
}

async function remember(user: User, org: Awaited<ReturnType<typeof world>>["org"], daysAgo = 0) {
  const db = await getDb();
  const device = (await rememberBrowser(db, { ...user, org }, meta))!;
  if (daysAgo)
    await db
      .update(rememberedDevices)
      .set({ createdAt: new Date(Date.now() - daysAgo * day) })
      .where(eq(rememberedDevices.tokenHash, sha256(device.token)));
  return device.token;
}

async function nextStep(user: User, deviceToken?: string) {
  return (await passwordStep(await getDb(), { email: user.email, password: PASSWORD }, meta, { rememberedDevice: deviceToken })).next;
}

async function policyAudits(orgId: string) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.event, "admin.policy.updated")))
    .orderBy(auditEvents.createdAt);
  return rows.map((r) => (r.detail as { rememberedDevicesEnded?: number }).rememberedDevicesEnded);
}

describe("S38: lowering the remember-browser setting", () => {
  it("0 days ends every remembered browser for good: set back to 30, the browser is asked for 2FA again", async () => {
    const db = await getDb();
    const w = await world();
    const { user } = await totpAgent(w.org);
    const token = await remember(user, w.org);
    const elsewhere = await world();
    const theirs = await totpAgent(elsewhere.org);
    const theirToken = await remember(theirs.user, elsewhere.org);
    expect(await nextStep(user, token)).toBe("done");

    const lowered = await updatePolicy(db, w.actor, policy({ rememberDeviceDays: 0 }), meta);
    expect(lowered.devicesEnded).toBe(1);
    expect(await db.select().from(rememberedDevices).where(eq(rememberedDevices.orgId, w.org.id))).toHaveLength(0);
    await updatePolicy(db, w.actor, policy({ rememberDeviceDays: 30 }), meta);
    expect(await nextStep(user, token)).toBe("mfa");
    expect(await policyAudits(w.org.id)).toEqual([1, 0]);
    // Another organisation's browsers are untouched.
    expect(await nextStep(theirs.user, theirToken)).toBe("done");
  });

  it("30 → 7 days ends the browsers remembered more than 7 days ago and keeps the newer ones, within 7 days", async () => {
    const db = await getDb();
    const w = await world();
    const { user } = await totpAgent(w.org);
    const old = await remember(user, w.org, 10);
    const recent = await remember(user, w.org, 2);
    expect(await nextStep(user, old)).toBe("done");

    const lowered = await updatePolicy(db, w.actor, policy({ rememberDeviceDays: 7 }), meta);
    expect(lowered.devicesEnded).toBe(1);
    const [kept, ...others] = await db.select().from(rememberedDevices).where(eq(rememberedDevices.userId, user.id));
    expect(others).toHaveLength(0);
    expect(kept!.expiresAt.getTime() - kept!.createdAt.getTime()).toBe(7 * day);
    expect(await policyAudits(w.org.id)).toEqual([1]);

    // Raising the setting again brings nothing back: the old browser is asked, the recent one is not.
    await updatePolicy(db, w.actor, policy({ rememberDeviceDays: 30 }), meta);
    expect(await nextStep(user, old)).toBe("mfa");
    expect(await nextStep(user, recent)).toBe("done");
  });
});

describe("S38: turning a method off", () => {
  it("email codes off: an email-only member's factor, pending code, remembered browser and session stop counting at once", async () => {
    const db = await getDb();
    const w = await world({ require2fa: true });
    const user = await createUser(w.org.id);
    await addFactor(user, "email");
    const token = await remember(user, w.org);
    const sessionId = await createSession(db, { userId: user.id, orgId: w.org.id, method: "email" });
    const login = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    expect(login.next).toBe("mfa");
    const challenge = (await findChallenge(db, login.token))!;
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const [mail] = await listDevMail(db, { to: user.email, limit: 1 });
    const code = /^\s*(\d{6})\s*$/m.exec(mail!.text)![1]!;
    const session = async () => mfaAccess(db, (await validateSession(db, { uid: user.id, sid: sessionId, ver: user.sessionVersion }))!);
    expect((await session()).mustEnrol).toBe(false);

    const saved = await updatePolicy(db, w.actor, policy({ require2fa: true, allowEmail: false, confirmMethodOff: true }), meta);
    expect(saved.devicesEnded).toBe(1);

    const fresh = (await findChallenge(db, login.token))!; // each request reads the organisation again
    await expect(verifyEmailLogin(db, fresh, { code }, meta)).rejects.toMatchObject({ fieldErrors: { code: [WRONG_EMAIL_CODE] } });
    expect(await consumeChallenge(db, login.token, meta)).toBeNull();
    expect(await usableFactors(db, user, fresh.org)).toHaveLength(0);
    expect(await nextStep(user, token)).toBe("enrol");
    expect(await session()).toEqual({ mustEnrol: true, enrolBy: null });
    expect(await db.select().from(rememberedDevices).where(eq(rememberedDevices.userId, user.id))).toHaveLength(0);
  });

  it("authenticator apps off: a valid app code no longer passes; the member's other method still does", async () => {
    const db = await getDb();
    const w = await world();
    const { user, secret } = await totpAgent(w.org);
    await addFactor(user, "email");
    await updatePolicy(db, w.actor, policy({ allowTotp: false, confirmMethodOff: true }), meta);
    const login = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    expect(login.next).toBe("mfa");
    const challenge = (await findChallenge(db, login.token))!;
    expect((await usableFactors(db, user, challenge.org)).map((f) => f.type)).toEqual(["email"]);
    const code = await currentTotp(secret, Math.floor(Date.now() / 1000) + 30);
    await expect(verifyTotpLogin(db, challenge, { code }, meta)).rejects.toMatchObject({ fieldErrors: { code: [WRONG_TOTP] } });
    expect(await consumeChallenge(db, login.token, meta)).toBeNull(); // the refused app code opened nothing
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const [mail] = await listDevMail(db, { to: user.email, limit: 1 });
    const { session } = await verifyEmailLogin(db, challenge, { code: /^\s*(\d{6})\s*$/m.exec(mail!.text)![1]! }, meta);
    await expectOpenedSession(session, { userId: user.id, method: "email", challengeToken: login.token });
  });
});

describe("S31: the session that skipped setup during the grace period", () => {
  it("gets enrolment only once the grace period is cleared, or has ended", async () => {
    const db = await getDb();
    const graceUntil = new Date(Date.now() + 3 * day);
    const w = await world({ require2fa: true, graceUntil });
    const user = await createUser(w.org.id);
    const login = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
    expect(login.next).toBe("enrol");
    await skipLoginEnrolment(db, (await findChallenge(db, login.token))!, meta);
    const { sessionId } = (await consumeChallenge(db, login.token, meta))!;
    const current = async () => (await validateSession(db, { uid: user.id, sid: sessionId, ver: user.sessionVersion }))!;

    expect(await mfaAccess(db, await current())).toEqual({ mustEnrol: false, enrolBy: graceUntil });
    // The grace period ends by the clock (the same session, the request after the end)...
    expect(await mfaAccess(db, await current(), graceUntil)).toEqual({ mustEnrol: true, enrolBy: null });
    // ...or the admin clears it: required at once.
    await updatePolicy(db, w.actor, policy({ require2fa: true, graceDay: "" }), meta);
    expect(await mfaAccess(db, await current())).toEqual({ mustEnrol: true, enrolBy: null });
  });
});
