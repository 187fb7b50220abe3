import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import {
  confirmLoginEmailEnrolment,
  confirmLoginTotpEnrolment,
  loginEnrolmentState,
  skipLoginEnrolment,
  startLoginEmailEnrolment,
  startLoginTotpEnrolment,
} from "@/lib/mfa/login-enrolment";
import { currentTotp } from "@/lib/mfa/totp";
import { PASSWORD, createUser, meta, orgWithAdmin, rejection } from "./factories";

async function login(email: string) {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password: PASSWORD }, meta);
  return { token, next, challenge: (await findChallenge(db, token))! };
}

const day = 24 * 60 * 60 * 1000;

describe("2FA required at login", () => {
  it("an agent with 2FA enforced and no factor must enrol before any session exists; enrolling completes the login", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const agent = await createUser(org.id, { mfaEnforced: true });
    const { token, next, challenge } = await login(agent.email);
    expect(next).toBe("enrol");
    expect(await consumeChallenge(db, token, meta)).toBeNull(); // no session before enrolment
    expect(await loginEnrolmentState(db, challenge)).toMatchObject({ needed: true, canSkip: false });
    await rejection(skipLoginEnrolment(db, challenge, meta)); // enforced: no grace
    const started = await startLoginTotpEnrolment(db, challenge);
    const result = await confirmLoginTotpEnrolment(
      db,
      challenge,
      { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) },
      meta,
    );
    expect(result.recoveryCodes).toHaveLength(10);
    expect((await consumeChallenge(db, token, meta))?.method).toBe("totp");
    // Next time: the normal 2FA step.
    expect((await login(agent.email)).next).toBe("mfa");
  });

  it("refuses login-time enrolment to a user who already has a factor (a password alone cannot add one)", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const agent = await createUser(org.id, { mfaEnforced: true });
    const first = await login(agent.email);
    const started = await startLoginTotpEnrolment(db, first.challenge);
    await confirmLoginTotpEnrolment(
      db,
      first.challenge,
      { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) },
      meta,
    );
    const second = await login(agent.email);
    expect(second.next).toBe("mfa");
    const e = await rejection(startLoginTotpEnrolment(db, second.challenge));
    expect(e.code).toBe("forbidden");
    await rejection(skipLoginEnrolment(db, second.challenge, meta));
    expect(await consumeChallenge(db, second.token, meta)).toBeNull();
  });

  it("during the organisation's grace period a member may skip, and the skip is audited; on and after the end date they cannot", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin({ require2fa: true, graceUntil: new Date(Date.now() + 3 * day) });
    const agent = await createUser(org.id);
    const before = await login(agent.email);
    expect(before.next).toBe("enrol");
    expect(await loginEnrolmentState(db, before.challenge)).toMatchObject({ needed: true, canSkip: true });
    await skipLoginEnrolment(db, before.challenge, meta);
    expect((await consumeChallenge(db, before.token, meta))?.method).toBe("password");
    const { auditEvents } = await import("@/lib/db/schema");
    const { and } = await import("drizzle-orm");
    const skipped = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, agent.id), eq(auditEvents.event, "mfa.enrolment.skipped")));
    expect(skipped).toHaveLength(1);

    const { organizations } = await import("@/lib/db/schema");
    await db
      .update(organizations)
      .set({ graceUntil: new Date(Date.now() - 1000) })
      .where(eq(organizations.id, org.id));
    const after = await login(agent.email);
    expect(after.next).toBe("enrol");
    const e = await rejection(skipLoginEnrolment(db, after.challenge, meta));
    expect(e.message).toMatch(/can no longer be skipped/);
    expect(await consumeChallenge(db, after.token, meta)).toBeNull();
  });

  it("when only email codes are allowed, the user enrols by an emailed code at login and the login completes", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin({ allowTotp: false, allowEmail: true });
    const agent = await createUser(org.id, { mfaEnforced: true });
    const { token, next, challenge } = await login(agent.email);
    expect(next).toBe("enrol");
    expect((await rejection(startLoginTotpEnrolment(db, challenge))).code).toBe("forbidden"); // apps not allowed
    const started = await startLoginEmailEnrolment(db, challenge, { name: "Work email" });
    const { listDevMail } = await import("@/lib/mail/dev-mailbox");
    const [mail] = await listDevMail(db, { to: agent.email, limit: 1 });
    const code = /^\s*(\d{6})\s*$/m.exec(mail!.text)![1]!;
    await rejection(
      confirmLoginEmailEnrolment(db, challenge, { factorId: started.factorId, code: code === "000000" ? "111111" : "000000" }, meta),
    );
    const result = await confirmLoginEmailEnrolment(db, challenge, { factorId: started.factorId, code }, meta);
    expect(result.recoveryCodes).toHaveLength(10);
    expect((await consumeChallenge(db, token, meta))?.method).toBe("email");
  });

  it("members of an organisation without the requirement are not asked", async () => {
    const { org } = await orgWithAdmin();
    const agent = await createUser(org.id);
    expect((await login(agent.email)).next).toBe("done");
  });
});
