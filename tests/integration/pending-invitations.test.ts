/**
 * Issue #12 part 3: pending invitations are listed on the members page with "Resend" (a new link; the
 * old one stops working) and "Revoke"; expired ones are marked as such.
 */
import { desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { INVALID_INVITATION, acceptInvitation, addMember, findInvitation, resendInvitation } from "@/lib/admin/invitations";
import { NOT_PENDING_MESSAGE, listPendingInvitations, revokeInvitation } from "@/lib/admin/pending-invitations";
import { getDb } from "@/lib/db/client";
import { auditEvents, devMail, invitations, users } from "@/lib/db/schema";
import { createUser, memberForm, meta, orgWithAdmin, rejection, uniqueEmail } from "./factories";

const BASE_URL = "http://guardian.test";

async function linkTo(email: string) {
  const db = await getDb();
  const [mail] = await db.select().from(devMail).where(eq(devMail.to, email)).orderBy(desc(devMail.id)).limit(1);
  return /\/invite\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
}

async function world() {
  const { org, admin } = await orgWithAdmin();
  const actor = { id: admin.id, orgId: org.id };
  const invite = async (name: string) => {
    const email = uniqueEmail("invitee");
    const { userId } = await addMember(await getDb(), actor, memberForm({ name, email, role: "agent" }), { baseUrl: BASE_URL, meta });
    return { userId, email, token: await linkTo(email) };
  };
  return { org, admin, actor, invite };
}

describe("pending invitations", () => {
  it("lists who was invited and has not accepted, newest first, with an expired link marked; not members who joined", async () => {
    const db = await getDb();
    const w = await world();
    const member = await createUser(w.org.id, { name: "Joined Already" });
    const first = await w.invite("First Invitee");
    const second = await w.invite("Second Invitee");
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.userId, first.userId));

    const list = await listPendingInvitations(db, w.actor);
    expect(list.map((i) => i.email)).toEqual([second.email, first.email]);
    expect(list.find((i) => i.userId === member.id)).toBeUndefined();
    expect(list[0]).toMatchObject({ name: "Second Invitee", expired: false });
    expect(list[0]!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(list[1]).toMatchObject({ name: "First Invitee", expired: true });

    // Resend on the expired one: a new link, the old one useless, no longer marked expired.
    await resendInvitation(db, w.actor, { userId: first.userId }, { baseUrl: BASE_URL, meta });
    expect(await findInvitation(db, first.token)).toBeNull();
    expect(await findInvitation(db, await linkTo(first.email))).not.toBeNull();
    expect((await listPendingInvitations(db, w.actor)).find((i) => i.userId === first.userId)).toMatchObject({ expired: false });
  });

  it("revoking ends every link and removes the invitee, audited with the address; the address may be invited again", async () => {
    const db = await getDb();
    const w = await world();
    const invited = await w.invite("Revoked Invitee");
    expect(await revokeInvitation(db, w.actor, { userId: invited.userId }, meta)).toEqual({ email: invited.email });

    expect(await findInvitation(db, invited.token)).toBeNull();
    const accept = await rejection(
      acceptInvitation(db, { token: invited.token, password: "a sound new passphrase", confirmPassword: "a sound new passphrase" }),
    );
    expect(accept.message).toBe(INVALID_INVITATION);
    expect(await db.select().from(users).where(eq(users.id, invited.userId))).toHaveLength(0);
    expect(await listPendingInvitations(db, w.actor)).toEqual([]);
    const [row] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.event, "admin.invitation.revoked"))
      .orderBy(desc(auditEvents.createdAt))
      .limit(1);
    expect(row).toMatchObject({
      orgId: w.org.id,
      actorUserId: w.admin.id,
      detail: { email: invited.email, name: "Revoked Invitee" },
      ip: meta.ip,
    });

    const again = await addMember(db, w.actor, memberForm({ name: "Invited Again", email: invited.email, role: "agent" }), {
      baseUrl: BASE_URL,
      meta,
    });
    expect(again.userId).not.toBe(invited.userId);
  });

  it("refuses to revoke a member who accepted, an agent, and another organisation's invitee", async () => {
    const db = await getDb();
    const w = await world();
    const invited = await w.invite("Accepts Quickly");
    const member = await createUser(w.org.id);
    expect((await rejection(revokeInvitation(db, w.actor, { userId: member.id }))).message).toBe(NOT_PENDING_MESSAGE);
    const agent = { id: member.id, orgId: w.org.id };
    expect((await rejection(revokeInvitation(db, agent, { userId: invited.userId }))).code).toBe("forbidden");
    expect((await rejection(listPendingInvitations(db, agent))).code).toBe("forbidden");
    const other = await orgWithAdmin();
    expect((await rejection(revokeInvitation(db, { id: other.admin.id, orgId: other.org.id }, { userId: invited.userId }))).code).toBe(
      "not_found",
    );
    expect(await listPendingInvitations(db, { id: other.admin.id, orgId: other.org.id })).toEqual([]);
    // Untouched by all of that.
    expect(await findInvitation(db, invited.token)).not.toBeNull();
  });
});
