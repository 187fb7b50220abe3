/**
 * Methods per role ("admins: authenticator app or security key only") and security keys counting as 2FA
 * everywhere: the policy and its guardrails, the impact preview, the members table and CSV, login and
 * forced enrolment at /login/setup with a key.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listMembers, exportMembersCsv } from "@/lib/admin/members-table";
import { getPolicy, policySchema, updatePolicy } from "@/lib/admin/settings";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import { mfaFactors, organizations, users, type FactorType } from "@/lib/db/schema";
import { usableFactors } from "@/lib/mfa/factors";
import { loginEnrolmentState } from "@/lib/mfa/login-enrolment";
import { disableMfa } from "@/lib/mfa/manage";
import { finishLoginPasskeyRegistration, startLoginPasskeyRegistration } from "@/lib/mfa/passkey-enrolment";
import { isMethodAllowed } from "@/lib/mfa/policy";
import { PASSWORD, createUser, meta, orgWithAdmin, parsedForm, policy, rejection } from "./factories";
import { SoftAuthenticator } from "./soft-authenticator";

const ORIGIN = "https://guardian.example";
beforeAll(() => {
  process.env.NEXTAUTH_URL = ORIGIN;
});

async function addFactor(user: { id: string; orgId: string }, type: FactorType) {
  const db = await getDb();
  await db.insert(mfaFactors).values({ userId: user.id, orgId: user.orgId, type, name: type, confirmedAt: new Date() });
}

const orgRow = async (id: string) => (await (await getDb()).select().from(organizations).where(eq(organizations.id, id)))[0]!;

describe("methods per role", () => {
  it("one function decides: the organisation's methods, and for admins only those on the admins' list", () => {
    const org = { allowTotp: true, allowEmail: true, allowWebauthn: false, adminMethods: ["totp", "webauthn"] as FactorType[] };
    expect(isMethodAllowed(org, "email", "agent")).toBe(true);
    expect(isMethodAllowed(org, "email", "admin")).toBe(false);
    expect(isMethodAllowed(org, "totp", "admin")).toBe(true);
    expect(isMethodAllowed(org, "webauthn", "admin")).toBe(false); // not allowed in the organisation at all
    expect(isMethodAllowed({ ...org, adminMethods: null }, "email", "admin")).toBe(true);
  });

  it("admins on app or key only: an email-only admin counts as not enrolled (preview, members, CSV, login), agents keep email", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    await addFactor(admin, "totp");
    const emailAdmin = await createUser(org.id, { role: "admin", name: "Email Admin" });
    await addFactor(emailAdmin, "email");
    const agent = await createUser(org.id, { name: "Email Agent" });
    await addFactor(agent, "email");
    const actor = { id: admin.id, orgId: org.id };

    // Members who rely on email as admins are named, and the change needs confirming.
    const unconfirmed = await rejection(
      updatePolicy(db, actor, policy({ adminMethods: "totp,webauthn", require2fa: true, graceDay: "2099-01-01" })),
    );
    expect(unconfirmed.fieldErrors?.confirmMethodOff?.[0]).toMatch(/^1 member relies on email codes \(no longer allowed for admins\)/);
    const saved = await updatePolicy(
      db,
      actor,
      policy({ adminMethods: "totp,webauthn", require2fa: true, graceDay: "2099-01-01", confirmMethodOff: true }),
      meta,
    );
    expect(saved.losing).toBe(1);
    const now = await orgRow(org.id);
    expect(now.adminMethods).toEqual(["webauthn", "totp"]);

    expect(await usableFactors(db, emailAdmin, now)).toHaveLength(0);
    expect(await usableFactors(db, agent, now)).toHaveLength(1);
    const { members } = await listMembers(db, actor);
    const byName = Object.fromEntries(members.map((m) => [m.name, m]));
    expect(byName["Email Admin"]).toMatchObject({ status: "due", methods: [] });
    expect(byName["Email Agent"]).toMatchObject({ status: "enabled", methods: ["email"] });
    const csv = await exportMembersCsv(db, actor);
    expect(csv).toMatch(/"Email Agent".*"Enabled","","Email codes"/);
    expect(csv).toMatch(/"Email Admin".*"Required","2099-01-01",""/);
    const policyView = await getPolicy(db, actor);
    expect(policyView.members.find((m) => m.name === "Email Admin")).toMatchObject({ role: "admin", types: ["email"] });

    // At login the admin must add an allowed method (may skip during the grace period); the agent is asked for email.
    const adminLogin = await passwordStep(db, { email: emailAdmin.email, password: PASSWORD }, meta);
    expect(adminLogin.next).toBe("enrol");
    expect(await loginEnrolmentState(db, (await findChallenge(db, adminLogin.token))!)).toMatchObject({ needed: true, canSkip: true });
    expect((await passwordStep(db, { email: agent.email, password: PASSWORD }, meta)).next).toBe("mfa");
  });

  it("guardrails: the acting admin cannot lock themselves out, admins keep at least one method, unknown methods are refused", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin({ require2fa: true });
    await addFactor(admin, "email");
    const actor = { id: admin.id, orgId: org.id };
    const own = await rejection(
      updatePolicy(db, actor, policy({ require2fa: true, adminMethods: "totp,webauthn", confirmMethodOff: true })),
    );
    expect(own.fieldErrors?.require2fa?.[0]).toMatch(/Your own 2FA uses a method you are turning off/);
    const none = await rejection(updatePolicy(db, actor, policy({ require2fa: true, adminMethods: "none" })));
    expect(none.fieldErrors?.adminMethods?.[0]).toMatch(/at least one allowed method/);
    const outside = await rejection(updatePolicy(db, actor, policy({ require2fa: true, allowWebauthn: false, adminMethods: "webauthn" })));
    expect(outside.fieldErrors?.adminMethods).toBeDefined();
    expect(() => parsedForm(policySchema, { ...policy(), adminMethods: "sms" })).toThrow();
    expect((await orgRow(org.id)).adminMethods).toBeNull();
    // Enforced on the admin themselves (the organisation does not require it): the same rule.
    const { org: org2, admin: admin2 } = await orgWithAdmin();
    await db.update(users).set({ mfaEnforced: true }).where(eq(users.id, admin2.id));
    await addFactor(admin2, "email");
    const enforced = await rejection(
      updatePolicy(db, { id: admin2.id, orgId: org2.id }, policy({ adminMethods: "totp", confirmMethodOff: true })),
    );
    expect(enforced.fieldErrors?.require2fa?.[0]).toMatch(/Your own 2FA uses a method you are turning off/);
  });

  it("a security key alone is 2FA: the admin may require 2FA with it, members show it, and an agent who must use 2FA cannot turn it off", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    await addFactor(admin, "webauthn");
    const agent = await createUser(org.id, { mfaEnforced: true });
    await addFactor(agent, "webauthn");
    const actor = { id: admin.id, orgId: org.id };
    await updatePolicy(db, actor, policy({ require2fa: true, adminMethods: "webauthn" }), meta);
    const { members } = await listMembers(db, actor);
    expect(members.every((m) => m.status === "enabled" && m.methods.join() === "webauthn")).toBe(true);
    expect(await exportMembersCsv(db, actor)).toContain('"Security key or passkey"');
    const current = await orgRow(org.id);
    const error = await rejection(disableMfa(db, { ...agent, org: current }, { password: PASSWORD }, meta));
    expect(error.code).toBe("forbidden");
    // Turning keys off would leave the acting admin without 2FA: refused.
    const off = await rejection(updatePolicy(db, actor, policy({ require2fa: true, allowWebauthn: false, confirmMethodOff: true })));
    expect(off.fieldErrors?.require2fa).toBeDefined();
  });
});

describe("forced enrolment at sign-in with a security key", () => {
  it("an admin whose role must use app or key adds a key at /login/setup; it completes the login; a second key cannot be added this way", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin({ require2fa: true, adminMethods: ["totp", "webauthn"] });
    const other = await createUser(org.id, { role: "admin" });
    await addFactor(other, "email");
    const { token, next } = await passwordStep(db, { email: other.email, password: PASSWORD }, meta);
    expect(next).toBe("enrol");
    const challenge = (await findChallenge(db, token))!;
    const key = new SoftAuthenticator(ORIGIN, "guardian.example");
    const options = await startLoginPasskeyRegistration(db, challenge);
    const result = await finishLoginPasskeyRegistration(db, challenge, { name: "MacBook Touch ID", response: key.register(options) }, meta);
    expect(result.first).toBe(false); // the email factor (not allowed for admins) already brought recovery codes
    expect(await consumeChallenge(db, token, meta)).toMatchObject({ method: "webauthn" });
    // Now the admin has a usable factor: a password alone can no longer add one at sign-in.
    const again = await passwordStep(db, { email: other.email, password: PASSWORD }, meta);
    expect(again.next).toBe("mfa");
    expect((await rejection(startLoginPasskeyRegistration(db, (await findChallenge(db, again.token))!))).code).toBe("forbidden");
  });
});
