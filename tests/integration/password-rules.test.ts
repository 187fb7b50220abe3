/**
 * S34: the shared new-password rule where a password is chosen by a signed-in user (profile) or an
 * invited one: a common password or the account's own email address is refused and nothing changes.
 * (Reset: password-reset-step-up.test.ts; the rule itself: tests/unit/password-rules.test.ts.)
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { acceptInvitation, acceptInvitationSchema, addMember, findInvitation } from "@/lib/admin/invitations";
import { getDb } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { verifyPassword } from "@/lib/passwords";
import { changePassword, changePasswordSchema } from "@/lib/users/profile";
import { COMMON_PASSWORD_MESSAGE, PASSWORD_IS_EMAIL_MESSAGE } from "@/lib/validation";
import { PASSWORD, createUser, memberForm, meta, orgWithAdmin, parsedForm, rejection, uniqueEmail } from "./factories";

const passwordOf = async (userId: string) => (await (await getDb()).select().from(users).where(eq(users.id, userId)))[0]!.passwordHash;

describe("changing the password in the profile", () => {
  it("refuses a common password (the action's schema) and the own email address (the use case); nothing changes", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const parsed = changePasswordSchema.safeParse({ currentPassword: PASSWORD, newPassword: "Password1", confirmPassword: "Password1" });
    expect(parsed.success).toBe(false);
    expect(z.flattenError(parsed.error!).fieldErrors.newPassword).toEqual([COMMON_PASSWORD_MESSAGE]);

    const before = await passwordOf(user.id);
    const e = await rejection(
      changePassword(
        db,
        { id: user.id, orgId: org.id },
        { currentPassword: PASSWORD, newPassword: user.email, confirmPassword: user.email },
        meta,
      ),
    );
    expect(e.fieldErrors).toEqual({ newPassword: [PASSWORD_IS_EMAIL_MESSAGE] });
    expect(await passwordOf(user.id)).toBe(before);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetUserId, user.id));
    expect(events.filter((ev) => ev.event === "user.password.changed")).toHaveLength(0);
  });
});

describe("accepting an invitation", () => {
  it("refuses a common password and the own email address; the invitation stays usable", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const email = uniqueEmail("invitee");
    const { userId } = await addMember(db, { id: admin.id, orgId: org.id }, memberForm({ name: "Ivy", email, role: "agent" }), {
      baseUrl: "http://app.example.test",
      meta,
    });
    const [mail] = await listDevMail(db, { to: email, limit: 1 });
    const token = mail!.text.match(/\/invite\/([A-Za-z0-9_-]+)/)![1]!;

    // As the action wrapper runs it: the form's schema first (the common-password rule), then the use case (own email).
    const accept = async (form: { token: string; password: string; confirmPassword: string }) =>
      acceptInvitation(db, parsedForm(acceptInvitationSchema, form), meta);
    const common = await rejection(accept({ token, password: "iloveyou", confirmPassword: "iloveyou" }));
    expect(common.fieldErrors?.password).toEqual([COMMON_PASSWORD_MESSAGE]);
    const own = await rejection(accept({ token, password: email, confirmPassword: email }));
    expect(own.fieldErrors?.password).toEqual([PASSWORD_IS_EMAIL_MESSAGE]);
    expect(await passwordOf(userId)).toBeNull();
    expect(await findInvitation(db, token)).not.toBeNull();

    await acceptInvitation(db, { token, password: "a sound new passphrase", confirmPassword: "a sound new passphrase" }, meta);
    expect(await verifyPassword(await passwordOf(userId), "a sound new passphrase")).toBe(true);
  });
});
