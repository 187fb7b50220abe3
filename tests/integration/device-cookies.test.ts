/**
 * S36: failed attempts cannot be used to keep the real user out. A browser that completed a full login
 * carries a signed device cookie for that user; its password attempts count on its own key, so an
 * attacker who knows only the email (and fills the account-wide counter from many addresses) locks
 * out unknown browsers only. Admin "Unlock" and the operator command clear every lock of the user.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { unlockMember } from "@/lib/admin/member-actions";
import { getMember, listMembers } from "@/lib/admin/members-table";
import { operatorUnlock } from "@/lib/admin/unlock";
import {
  MFA_LIMIT,
  PASSWORD_ACCOUNT_LIMIT,
  PASSWORD_DEVICE_LIMIT,
  PASSWORD_IP_LIMIT,
  isLocked,
  keys,
  reserveAttempt,
  resetAttempts,
} from "@/lib/attempts";
import { findChallenge } from "@/lib/auth/challenge";
import { deviceFor, parseDeviceCookie, signEntry } from "@/lib/auth/device-cookie";
import { GENERIC_LOGIN_ERROR, passwordStep } from "@/lib/auth/login";
import { afterSignIn, openSession } from "@/lib/auth/open-session";
import { revokeAccess } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { auditEvents, type organizations, type users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { currentTotp } from "@/lib/mfa/totp";
import { verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, expectOpenedSession, meta, orgWithAdmin } from "./factories";

type User = typeof users.$inferSelect;
type Org = typeof organizations.$inferSelect;

/** A different client address for every attempt (this file's own range: files share the PostgreSQL database). */
const run = randomUUID().slice(0, 8);
let n = 0;
const from = () => ({ ...meta, ip: `dev-${run}-${++n}` });

async function rejection(p: Promise<unknown>) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Password step from a browser holding `cookie` (or none). */
const password = async (user: User, cookie: string | null, pw = PASSWORD) =>
  passwordStep(await getDb(), { email: user.email, password: pw }, from(), { device: cookie });

/** A full login without 2FA: password, then the session; returns the browser's new device cookie. */
async function fullLogin(user: User, cookie: string | null = null) {
  const { token, next } = await password(user, cookie);
  expect(next).toBe("done");
  const done = await openSession(await getDb(), { challengeToken: token, deviceCookie: cookie, meta: from() });
  expect(done).not.toBeNull();
  return done!;
}

/** `count` wrong passwords, each from another address; all refused with the generic answer. */
async function attack(user: User, count: number, cookie: string | null = null) {
  for (let i = 0; i < count; i++) expect((await rejection(password(user, cookie, "wrong password"))).message).toBe(GENERIC_LOGIN_ERROR);
}

async function expectLocked(user: User, cookie: string | null) {
  const error = await rejection(password(user, cookie));
  expect(error.code).toBe("rate_limited");
  expect(error.message).toMatch(/Too many sign-in attempts\. Try again in 15 minutes/);
}

async function enrolTotp(user: User, org: Org) {
  const db = await getDb();
  const actor = { ...user, org };
  const started = await startTotpEnrolment(db, actor);
  const confirmed = await confirmTotpEnrolment(
    db,
    actor,
    { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) },
    meta,
  );
  return { secret: started.secret, recoveryCodes: confirmed.recoveryCodes! };
}

/** Replaces the last character of part `index` (0 user id, 1 nonce, 2 MAC) of the first entry. */
function tamper(cookie: string, index: number) {
  const parts = cookie.split("~")[0]!.split(".");
  const part = parts[index]!;
  parts[index] = part.slice(0, -1) + (part.endsWith("A") ? "B" : "A");
  return parts.join(".");
}

describe("device cookies against attacker-made account locks (S36)", () => {
  it("a browser that signed in before still signs in (and still passes 2FA) while an attacker keeps the account locked", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const { secret, recoveryCodes } = await enrolTotp(user, org);

    // The user signs in once, with both factors: only then does the browser get its device cookie.
    const first = await password(user, null);
    expect(first.next).toBe("mfa");
    expect(await openSession(db, { challengeToken: first.token, deviceCookie: null, meta })).toBeNull(); // not after the password alone
    const recovered = await verifyRecoveryLogin(db, (await findChallenge(db, first.token))!, { code: recoveryCodes[0]! }, meta);
    await expectOpenedSession(recovered.session, { userId: user.id, method: "recovery", challengeToken: first.token });
    const signedIn = await afterSignIn(recovered.session, null, meta);
    expect(signedIn.newBrowser).toBe(true);
    const cookie = signedIn.deviceCookie;
    expect(deviceFor(cookie, user.id)).not.toBeNull();

    // Someone who knows only the email: more failures than the limit, each from a different address.
    await attack(user, PASSWORD_ACCOUNT_LIMIT.max);
    expect(await isLocked(db, keys.passwordAccount(user.email))).toBe(true);
    await expectLocked(user, null); // a new browser is refused, even with the right password
    await expectLocked(user, null);

    // The user's browser: the right password passes, the second factor is still asked and still works.
    const known = await password(user, cookie);
    expect(known.next).toBe("mfa");
    const passed = await verifyTotpLogin(
      db,
      (await findChallenge(db, known.token))!,
      { code: await currentTotp(secret, Math.floor(Date.now() / 1000) + 30) },
      meta,
    );
    await expectOpenedSession(passed.session, { userId: user.id, method: "totp", challengeToken: known.token });
    const again = await afterSignIn(passed.session, cookie, meta);
    expect(again).toMatchObject({ newBrowser: false, method: "totp" });
    expect(deviceFor(again.deviceCookie, user.id)).toEqual(deviceFor(cookie, user.id)); // same browser, same nonce

    // Its success does not lift the attacker-made lock for unknown browsers.
    await expectLocked(user, null);
    const refusals = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "login.locked")));
    expect(refusals.map((e) => e.detail)).toContainEqual({ limit: "account" });
  });

  it("a forged, altered or other user's device cookie counts as no cookie", async () => {
    const { org } = await orgWithAdmin();
    const victim = await createUser(org.id);
    const other = await createUser(org.id);
    const mine = (await fullLogin(victim)).deviceCookie;
    const othersCookie = (await fullLogin(other)).deviceCookie;
    await attack(victim, PASSWORD_ACCOUNT_LIMIT.max);

    const { nonce } = deviceFor(mine, victim.id)!;
    const forged = `${victim.id}.${nonce}.${"A".repeat(43)}`;
    const wrongUser = signEntry({ userId: other.id, nonce });
    for (const cookie of [
      forged,
      tamper(mine, 0),
      tamper(mine, 1),
      tamper(mine, 2),
      othersCookie,
      wrongUser,
      `${mine}.x`,
      "garbage",
      "~~~",
    ]) {
      expect(deviceFor(cookie, victim.id)).toBeNull();
      await expectLocked(victim, cookie);
    }
    // The genuine cookie, also when another user's entry shares it (a shared computer).
    expect((await password(victim, mine)).next).toBe("done");
    const shared = (await fullLogin(other, mine)).deviceCookie;
    expect(parseDeviceCookie(shared).map((e) => e.userId)).toEqual([other.id, victim.id]);
    expect((await password(victim, shared)).next).toBe("done");
    expect((await password(other, shared)).next).toBe("done");
  });

  it("a known browser has its own lock after its own failures, apart from the account and the user's other browsers", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const laptop = (await fullLogin(user)).deviceCookie;
    const phone = (await fullLogin(user)).deviceCookie;
    expect(deviceFor(laptop, user.id)!.nonce).not.toBe(deviceFor(phone, user.id)!.nonce);

    await attack(user, PASSWORD_DEVICE_LIMIT.max, laptop);
    await expectLocked(user, laptop);
    const { nonce } = deviceFor(laptop, user.id)!;
    expect(await isLocked(db, keys.passwordDevice(user.id, nonce))).toBe(true);
    expect(await isLocked(db, keys.passwordAccount(user.email))).toBe(false);
    expect((await password(user, phone)).next).toBe("done");
    expect((await password(user, null)).next).toBe("done");
    const refusals = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "login.locked")));
    expect(refusals.map((e) => e.detail)).toEqual([{ limit: "device" }]);
  });

  it("reserves a known browser's attempts atomically: a burst gets exactly the limit", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const cookie = (await fullLogin(user)).deviceCookie;
    const results = await Promise.allSettled(
      Array.from({ length: PASSWORD_DEVICE_LIMIT.max + 5 }, () => password(user, cookie, "wrong password")),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as AppError).code : "ok"));
    expect(codes.filter((c) => c === "unauthorized")).toHaveLength(PASSWORD_DEVICE_LIMIT.max);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(5);
  });

  it("ending every session of the user (a reset, deactivation) makes their browsers unknown again, until they sign in anew", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const { deviceCookie } = await fullLogin(user);
    await revokeAccess(db, user.id); // what a password reset, an admin reset or a deactivation does
    expect(deviceFor(deviceCookie, user.id, user.sessionVersion + 1)).toBeNull();
    // So an attacker-made account lock now holds that browser too, as any other.
    await attack(user, PASSWORD_ACCOUNT_LIMIT.max);
    await expectLocked(user, deviceCookie);
    await resetAttempts(db, keys.passwordAccount(user.email));
    // Signing in again (all factors) makes it a known browser of the new epoch, with a new nonce.
    const again = await fullLogin(user, deviceCookie);
    expect(again.newBrowser).toBe(true);
    expect(deviceFor(again.deviceCookie, user.id, user.sessionVersion + 1)).not.toBeNull();
  });

  it("the per-address limit still applies to a known browser", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const cookie = (await fullLogin(user)).deviceCookie;
    const address = from();
    for (let i = 0; i < PASSWORD_IP_LIMIT.max; i++) await reserveAttempt(db, keys.passwordIp(address.ip), PASSWORD_IP_LIMIT);
    const error = await rejection(passwordStep(db, { email: user.email, password: PASSWORD }, address, { device: cookie }));
    expect(error.code).toBe("rate_limited");
  });
});

describe("clearing every lock of a user (admin Unlock, npm run admin -- unlock)", () => {
  async function lockEverything(user: User) {
    const cookie = (await fullLogin(user)).deviceCookie;
    await attack(user, PASSWORD_ACCOUNT_LIMIT.max);
    await attack(user, PASSWORD_DEVICE_LIMIT.max, cookie);
    await expectLocked(user, null);
    await expectLocked(user, cookie);
    for (let i = 0; i < MFA_LIMIT.max; i++) await reserveAttempt(await getDb(), keys.mfa(user.id), MFA_LIMIT); // ten wrong codes
    return cookie;
  }

  it("the admin sees the password locks and Unlock clears them all, audited", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const actor = { id: admin.id, orgId: org.id };
    const agent = await createUser(org.id);
    const cookie = await lockEverything(agent);

    const { member } = await getMember(db, actor, agent.id);
    expect(member).toMatchObject({ locked: true, locks: ["password", "device", "mfa"] });
    expect((await listMembers(db, actor, { filter: "locked" })).members.map((m) => m.id)).toEqual([agent.id]);

    expect(await unlockMember(db, actor, { userId: agent.id }, meta)).toEqual({ wasLocked: true, cleared: ["password", "device", "mfa"] });
    expect(await isLocked(db, keys.mfa(agent.id))).toBe(false);
    expect((await getMember(db, actor, agent.id)).member).toMatchObject({ locked: false, locks: [] });
    expect((await password(agent, null)).next).toBe("done");
    expect((await password(agent, cookie)).next).toBe("done");
    const [entry] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, agent.id), eq(auditEvents.event, "admin.user.unlocked")));
    expect(entry).toMatchObject({ actorUserId: admin.id, detail: { wasLocked: true, cleared: "password,device,mfa", lockedBrowsers: 1 } });

    // Nothing locked: said so, and audited as such.
    expect(await unlockMember(db, actor, { userId: agent.id }, meta)).toEqual({ wasLocked: false, cleared: [] });
  });

  it("the operator command unlocks the only admin, audited as the operator", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const cookie = await lockEverything(admin);
    const result = await operatorUnlock(db, `  ${admin.email.toUpperCase()} `, { operator: "root@host" });
    expect(result).toMatchObject({ userId: admin.id, cleared: ["password", "device", "mfa"], lockedBrowsers: 1 });
    expect(await isLocked(db, keys.mfa(admin.id))).toBe(false);
    expect((await password(admin, null)).next).toBe("done");
    expect((await password(admin, cookie)).next).toBe("done");
    const [entry] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, admin.id), eq(auditEvents.event, "operator.user.unlocked")));
    expect(entry).toMatchObject({
      actorType: "operator",
      actorUserId: null,
      detail: { cleared: "password,device,mfa", operator: "root@host" },
    });
    expect((await rejection(operatorUnlock(db, "nobody@example.test"))).code).toBe("not_found");
  });
});
