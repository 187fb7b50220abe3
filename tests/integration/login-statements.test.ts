/**
 * How many statements each login request sends to the database (issue #14, docs/performance.md): each
 * one is a round trip, and under load the round trips are the cost. Counted at the driver, BEGIN and
 * COMMIT included (tests/integration/counting-db.ts). A change that adds one fails here: fold it into an
 * existing statement, or raise the bound on purpose and say why in docs/performance.md.
 */
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { openSession } from "@/lib/auth/open-session";
import { verifySecondFactor } from "@/lib/auth/second-factor-step";
import { getDb } from "@/lib/db/client";
import { auditEvents, sessions, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { currentTotp } from "@/lib/mfa/totp";
import { countingDb } from "./counting-db";
import { PASSWORD, createUser, meta, orgWithAdmin, uniqueEmail } from "./factories";

/** A member with a confirmed authenticator app, as the bench's users are. */
async function memberWithApp() {
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id);
  const actor = { ...user, org };
  const started = await startTotpEnrolment(db, actor);
  await confirmTotpEnrolment(db, actor, { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) }, meta);
  return { user, org, secret: started.secret };
}

/** A fresh client address per request: the per-address budget is shared by the whole file otherwise. */
const from = () => ({ ...meta, ip: `198.51.100.${Math.floor(Math.random() * 250) + 1}` });

describe("statements per login request (issue #14)", () => {
  it("the password step of a member with 2FA: at most 3 (user + factors + remembered browser, both limits, the challenge)", async () => {
    const { user } = await memberWithApp();
    const { db, statements } = await countingDb();
    const { next } = await passwordStep(db, { email: user.email, password: PASSWORD }, from());
    expect(next).toBe("mfa");
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(3);
  });

  it("a wrong password and an unknown email: at most 3 each (lookup, limits, audit row)", async () => {
    const { user } = await memberWithApp();
    for (const email of [user.email, uniqueEmail("nobody")]) {
      const { db, statements } = await countingDb();
      const error = await passwordStep(db, { email, password: "not the password" }, from()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("unauthorized");
      expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(3);
    }
    // Both were still audited (S10): the work is the same on both paths.
    const db = await getDb();
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "login.failure"), eq(auditEvents.targetUserId, user.id)));
    expect(rows).toHaveLength(1);
  });

  it("the 2FA step including the session: at most 5 (challenge, attempt, factors, then one statement for the rest)", async () => {
    const { user, secret } = await memberWithApp();
    const db0 = await getDb();
    const { token } = await passwordStep(db0, { email: user.email, password: PASSWORD }, from());
    // The next time step: later than the one enrolment used, so the replay guard lets it through.
    const code = await currentTotp(secret, Math.floor(Date.now() / 1000) + 30);

    const { db, statements } = await countingDb();
    const challenge = await findChallenge(db, token);
    expect(challenge).not.toBeNull();
    const result = await verifySecondFactor(db, challenge!, { method: "totp", code, remember: true }, from());
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(5);

    // …and that statement really did everything: session row, challenge consumed, audit rows, remembered browser.
    const [session] = await db0.select().from(sessions).where(eq(sessions.id, result.session.sessionId));
    expect(session).toMatchObject({ userId: user.id, method: "totp", revokedAt: null });
    expect(await findChallenge(db0, token)).toBeNull();
    const events = await db0
      .select({ event: auditEvents.event })
      .from(auditEvents)
      .where(eq(auditEvents.targetUserId, user.id))
      .orderBy(auditEvents.id);
    const last = events.map((e) => e.event).slice(-3);
    expect(new Set(last)).toEqual(new Set(["mfa.challenge.success", "login.success", "device.remembered"]));
    expect(last.indexOf("mfa.challenge.success")).toBeLessThan(last.indexOf("login.success"));
    expect(result.rememberedDevice).not.toBeNull();
    const [row] = await db0.select({ lastLoginAt: users.lastLoginAt }).from(users).where(eq(users.id, user.id));
    expect(row?.lastLoginAt).not.toBeNull();
  });

  it("a member without 2FA signs in in one request: at most 4 (lookup, limits, challenge, session)", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const { db, statements } = await countingDb();
    const m = from();
    const { token, next } = await passwordStep(db, { email: user.email, password: PASSWORD }, m);
    expect(next).toBe("done");
    const signedIn = await openSession(db, { challengeToken: token, deviceCookie: null, meta: m });
    expect(signedIn?.userId).toBe(user.id);
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(4);
    const live = await (
      await getDb()
    )
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    expect(live).toHaveLength(1);
  });
});
