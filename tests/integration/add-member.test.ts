/**
 * Adding a member never reveals accounts in other organisations (S39): an address with an account
 * elsewhere gets the same answer, member page, members list, CSV, audit entry and policy preview as a
 * fresh address; the address itself is emailed that it cannot join a second organisation. Only the
 * admin's own organisation is answered plainly. Invitations are limited per organisation.
 */
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  ALREADY_MEMBER,
  INVALID_INVITATION,
  INVITE_ORG_LIMIT,
  acceptInvitation,
  addMember,
  findInvitation,
  resendInvitation,
} from "@/lib/admin/invitations";
import { exportMembersCsv, getMember, listMembers, type MemberRow } from "@/lib/admin/members-table";
import { getPolicy } from "@/lib/admin/settings";
import { keys, reserveAttempt } from "@/lib/attempts";
import { listAuditEvents } from "@/lib/audit/queries";
import { requestPasswordReset } from "@/lib/auth/forgot-password";
import { loginSchema, passwordStep } from "@/lib/auth/login";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { devMail, invitations, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { PASSWORD, createUser, meta, orgWithAdmin, uniqueEmail, memberForm } from "./factories";

const BASE_URL = "http://guardian.test";

async function outcome(p: Promise<unknown>) {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      return { ok: false as const, code: e.code, message: e.message, fieldErrors: e.fieldErrors };
    },
  );
}

async function mailTo(email: string) {
  const db = await getDb();
  return db.select().from(devMail).where(eq(devMail.to, email)).orderBy(desc(devMail.id));
}

/** Our organisation (its admin acts) and another one with a member of its own. */
async function world() {
  const ours = await orgWithAdmin({ name: "Our Org" });
  const theirs = await orgWithAdmin({ name: "Their Org" });
  const elsewhere = await createUser(theirs.org.id, { name: "Has An Account" });
  return { ours, theirs, elsewhere, actor: { id: ours.admin.id, orgId: ours.org.id } };
}

/** What the admin sees of a member, minus what is expected to differ (id, name, address, instants). */
const shape = ({ id: _id, name: _name, email: _email, createdAt: _createdAt, ...rest }: MemberRow) => rest;

describe("adding an address that has an account in another organisation", () => {
  it("answers, lists, exports and audits exactly as for a fresh address; only the address is told", async () => {
    const db = await getDb();
    const w = await world();
    const fresh = uniqueEmail("fresh");
    const input = (name: string, email: string) => memberForm({ name, email, role: "agent", requireMfa: "on" });

    const a = await addMember(db, w.actor, input("Fresh Person", fresh), { baseUrl: BASE_URL, meta });
    const b = await addMember(db, w.actor, input("Known Person", w.elsewhere.email.toUpperCase()), { baseUrl: BASE_URL, meta });
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(b.emailed).toBe(a.emailed);
    expect(b.emailed).toBe(true);

    // The member page (where "Add user" lands).
    const pageA = await getMember(db, w.actor, a.userId);
    const pageB = await getMember(db, w.actor, b.userId);
    expect(pageA.member.email).toBe(fresh);
    expect(pageB.member.email).toBe(w.elsewhere.email);
    expect(shape(pageB.member)).toEqual(shape(pageA.member));
    expect(shape(pageB.member)).toMatchObject({ invitation: "pending", status: "overdue", mfaEnforced: true, role: "agent" });
    expect(pageB.factorCount).toBe(pageA.factorCount);
    expect(Math.abs(pageB.invitationExpiresAt!.getTime() - pageA.invitationExpiresAt!.getTime())).toBeLessThan(60_000);

    // The members list, with every filter.
    for (const filter of ["all", "not_set_up", "enabled", "due", "overdue", "locked", "deactivated"] as const) {
      const { members } = await listMembers(db, w.actor, { filter });
      const rowA = members.find((m) => m.id === a.userId);
      const rowB = members.find((m) => m.id === b.userId);
      expect(!!rowB, `row in "${filter}"`).toBe(!!rowA);
      if (rowA) expect(shape(rowB!)).toEqual(shape(rowA));
    }
    const { members } = await listMembers(db, w.actor);
    expect(members.map((m) => m.email).sort()).toEqual([fresh, w.elsewhere.email, w.ours.admin.email].sort());
    expect(members.some((m) => m.email.startsWith("placeholder:"))).toBe(false);

    // The CSV export, the policy preview and the audit log.
    const csv = await exportMembersCsv(db, w.actor);
    const lineOf = (name: string, email: string) =>
      csv
        .split("\r\n")
        .find((l) => l.includes(email))!
        .replace(name, "N")
        .replace(email, "E");
    expect(lineOf("Known Person", w.elsewhere.email)).toBe(lineOf("Fresh Person", fresh));
    expect(csv).not.toContain("placeholder:");
    const policy = await getPolicy(db, w.actor);
    expect(policy.members).toEqual(
      expect.arrayContaining([
        { name: "Fresh Person", email: fresh, types: [], role: "agent" },
        { name: "Known Person", email: w.elsewhere.email, types: [], role: "agent" },
      ]),
    );
    const { events } = await listAuditEvents(db, w.ours.org.id, { event: "admin.user.added" });
    const entryA = events.find((e) => e.target?.id === a.userId)!;
    const entryB = events.find((e) => e.target?.id === b.userId)!;
    expect(entryB.target).toEqual({ id: b.userId, name: "Known Person", email: w.elsewhere.email });
    const strip = ({ id: _i, createdAt: _c, target: _t, ...rest }: typeof entryA) => rest;
    expect(strip(entryB)).toEqual(strip(entryA));

    // Emails: the fresh address gets its link; the known address learns it cannot join, with no link.
    const [invite] = await mailTo(fresh);
    expect(invite!.text).toMatch(/\/invite\/[A-Za-z0-9_-]+/);
    const [notice, ...more] = await mailTo(w.elsewhere.email);
    expect(more).toHaveLength(0);
    expect(notice!.subject).toBe(invite!.subject);
    expect(notice!.text).toContain("already belongs to an account in another organisation");
    expect(notice!.text).toContain(`${BASE_URL}/login`);
    expect(notice!.text).not.toMatch(/\/invite\//);
    expect(notice!.text).not.toContain(w.theirs.org.name);
    expect(await mailTo(w.ours.admin.email)).toHaveLength(0);

    // The existing account is untouched and still signs in to its own organisation.
    const [account] = await db.select().from(users).where(eq(users.id, w.elsewhere.id));
    expect(account).toEqual(w.elsewhere);
    expect((await passwordStep(db, { email: w.elsewhere.email, password: PASSWORD }, meta)).next).toBe("done");
  });

  it("adding either address again is answered plainly, the same: it is in the admin's own organisation now", async () => {
    const db = await getDb();
    const w = await world();
    const fresh = uniqueEmail("again");
    await addMember(db, w.actor, memberForm({ name: "F", email: fresh, role: "agent" }), { baseUrl: BASE_URL });
    await addMember(db, w.actor, memberForm({ name: "K", email: w.elsewhere.email, role: "agent" }), { baseUrl: BASE_URL });
    const again = [
      await outcome(addMember(db, w.actor, memberForm({ name: "F", email: fresh, role: "agent" }), { baseUrl: BASE_URL })),
      await outcome(addMember(db, w.actor, memberForm({ name: "K", email: w.elsewhere.email, role: "agent" }), { baseUrl: BASE_URL })),
    ];
    expect(again[0]).toMatchObject({ ok: false, code: "bad_request", fieldErrors: { email: [ALREADY_MEMBER] } });
    expect(again[1]).toEqual(again[0]);
  });

  it("sending the invitation again: the same answer, and the address is told again", async () => {
    const db = await getDb();
    const w = await world();
    const fresh = uniqueEmail("resend");
    const a = await addMember(db, w.actor, memberForm({ name: "F", email: fresh, role: "agent" }), { baseUrl: BASE_URL });
    const b = await addMember(db, w.actor, memberForm({ name: "K", email: w.elsewhere.email, role: "agent" }), { baseUrl: BASE_URL });
    const ra = await resendInvitation(db, w.actor, { userId: a.userId }, { baseUrl: BASE_URL, meta });
    const rb = await resendInvitation(db, w.actor, { userId: b.userId }, { baseUrl: BASE_URL, meta });
    expect(rb.emailed).toBe(ra.emailed);
    expect(await mailTo(fresh)).toHaveLength(2);
    const notices = await mailTo(w.elsewhere.email);
    expect(notices).toHaveLength(2);
    for (const n of notices) expect(n.text).not.toMatch(/\/invite\//);
  });

  it("two organisations adding the same fresh address at once are both told the invitation was sent", async () => {
    const db = await getDb();
    const one = await orgWithAdmin();
    const two = await orgWithAdmin();
    const email = uniqueEmail("both");
    const results = await Promise.all(
      [one, two].map(({ org, admin }) =>
        outcome(addMember(db, { id: admin.id, orgId: org.id }, memberForm({ name: "Both", email, role: "agent" }), { baseUrl: BASE_URL })),
      ),
    );
    expect(results.map((r) => r.ok && (r.value as { emailed: boolean }).emailed)).toEqual([true, true]);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.placeholderFor, email))).toHaveLength(1);
  });

  it("the placeholder can never accept an invitation nor sign in", async () => {
    const db = await getDb();
    const w = await world();
    const { userId } = await addMember(db, w.actor, memberForm({ name: "K", email: w.elsewhere.email, role: "agent" }), {
      baseUrl: BASE_URL,
    });
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    expect(row!.email).toMatch(/^placeholder:[0-9a-f-]{36}$/);
    expect(row!.passwordHash).toBeNull();
    // Even with its invitation token in hand (it is never sent anywhere).
    const token = "known-token-for-this-test-only-0123456789";
    await db
      .update(invitations)
      .set({ tokenHash: sha256(token) })
      .where(and(eq(invitations.userId, userId)));
    expect(await findInvitation(db, token)).toBeNull();
    expect(await outcome(acceptInvitation(db, { token, password: "long passphrase", confirmPassword: "long passphrase" }))).toMatchObject({
      ok: false,
      message: INVALID_INVITATION,
    });
    expect(loginSchema.safeParse({ email: row!.email, password: "anything at all" }).success).toBe(false);
    expect(await outcome(passwordStep(db, { email: row!.email, password: "anything at all" }, meta))).toMatchObject({
      ok: false,
      code: "unauthorized",
    });
  });

  it("limits invitations per organisation (added or sent again); nothing is added once refused", async () => {
    const db = await getDb();
    const w = await world();
    const first = await addMember(db, w.actor, memberForm({ name: "First", email: uniqueEmail("first"), role: "agent" }), {
      baseUrl: BASE_URL,
    });
    for (let i = 1; i < INVITE_ORG_LIMIT.max; i++) await reserveAttempt(db, keys.inviteOrg(w.ours.org.id), INVITE_ORG_LIMIT);
    const email = uniqueEmail("over");
    const refused = await outcome(addMember(db, w.actor, memberForm({ name: "Over", email, role: "agent" }), { baseUrl: BASE_URL }));
    expect(refused).toMatchObject({
      ok: false,
      code: "rate_limited",
      message: "Too many invitations from your organisation. Try again in 60 minutes.",
    });
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    expect(await mailTo(email)).toHaveLength(0);
    expect(await outcome(resendInvitation(db, w.actor, { userId: first.userId }, { baseUrl: BASE_URL }))).toMatchObject({
      code: "rate_limited",
    });
    // Another organisation is not affected.
    const other = await orgWithAdmin();
    expect(
      (
        await outcome(
          addMember(db, { id: other.admin.id, orgId: other.org.id }, memberForm({ name: "O", email, role: "agent" }), {
            baseUrl: BASE_URL,
          }),
        )
      ).ok,
    ).toBe(true);
  });
});

describe("what the admin's organisation sees after someone tries the added addresses", () => {
  it("failed sign-ins (to the lock) and reset requests leave the same trace for a fresh address and one with an account elsewhere: none", async () => {
    const db = await getDb();
    const w = await world();
    const fresh = uniqueEmail("fresh");
    for (const [name, email] of [
      ["Fresh Person", fresh],
      ["Known Person", w.elsewhere.email],
    ] as const) {
      await addMember(db, w.actor, memberForm({ name, email, role: "agent" }), { baseUrl: BASE_URL, meta });
    }
    const before = (await listAuditEvents(db, w.ours.org.id)).total;
    for (const email of [fresh, w.elsewhere.email]) {
      for (let i = 0; i < 11; i++) {
        await outcome(passwordStep(db, loginSchema.parse({ email, password: `wrong ${i}` }), { ...meta, ip: `203.0.113.${i}-${email}` }));
      }
      await requestPasswordReset(db, { email }, { baseUrl: BASE_URL, meta: { ...meta, ip: `198.51.100.9-${email}` } });
    }
    // Nothing in our log about either address, and neither member shows as locked out.
    expect((await listAuditEvents(db, w.ours.org.id)).total).toBe(before);
    const { members } = await listMembers(db, w.actor);
    for (const email of [fresh, w.elsewhere.email])
      expect(members.find((m) => m.email === email)).toMatchObject({ locked: false, locks: [] });
  });
});
