"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction, type UserContext } from "@/lib/action";
import { addMember, addMemberSchema, resendInvitation } from "@/lib/admin/invitations";
import {
  changeRole,
  deactivateMember,
  enforceSchema,
  memberSchema,
  reactivateMember,
  removeMemberMfa,
  removeMfaSchema,
  roleSchema,
  setMfaEnforced,
  unlockMember,
} from "@/lib/admin/member-actions";
import { revokeInvitation } from "@/lib/admin/pending-invitations";
import { appBaseUrl } from "@/lib/app-url";
import { getDb } from "@/lib/db/client";

const actorOf = ({ user }: UserContext) => ({ id: user.id, orgId: user.orgId, sessionId: user.sessionId });
const admin = { role: "admin" as const };

function refresh(userId?: string) {
  revalidatePath("/admin", "layout");
  if (userId) revalidatePath(`/admin/members/${userId}`);
}

export const addMemberAction = userAction(
  addMemberSchema,
  async (input, ctx) => {
    const result = await addMember(await getDb(), actorOf(ctx), input, { baseUrl: await appBaseUrl(), meta: ctx.meta });
    refresh();
    redirect(`/admin/members/${result.userId}?added=${result.emailed ? "1" : "0"}`);
  },
  admin,
);

export const resendInvitationAction = userAction(
  memberSchema,
  async (input, ctx) => {
    const result = await resendInvitation(await getDb(), actorOf(ctx), input, { baseUrl: await appBaseUrl(), meta: ctx.meta });
    refresh(input.userId);
    return result.emailed
      ? { ok: true, message: "A new invitation was sent. Earlier links no longer work." }
      : { ok: false, error: "The new invitation was created, but the email could not be sent. Please try again." };
  },
  admin,
);

export const setEnforcedAction = userAction(
  enforceSchema,
  async (input, ctx) => {
    await setMfaEnforced(await getDb(), actorOf(ctx), input, ctx.meta);
    refresh(input.userId);
    return { ok: true, message: input.enforced ? "2FA is now required for this member." : "2FA is no longer required for this member." };
  },
  admin,
);

export const removeMfaAction = userAction(
  removeMfaSchema,
  async (input, ctx) => {
    const result = await removeMemberMfa(await getDb(), actorOf(ctx), input, ctx.meta);
    refresh(input.userId);
    // The form disappears with the factors: the member page shows the outcome.
    redirect(`/admin/members/${input.userId}?done=${result.emailed ? "removed" : "removed-no-mail"}`);
  },
  admin,
);

export const unlockAction = userAction(
  memberSchema,
  async (input, ctx) => {
    const result = await unlockMember(await getDb(), actorOf(ctx), input, ctx.meta);
    refresh(input.userId);
    const cleared = encodeURIComponent(result.cleared.join(","));
    redirect(`/admin/members/${input.userId}?done=${result.wasLocked ? `unlocked&cleared=${cleared}` : "not-locked"}`);
  },
  admin,
);

export const changeRoleAction = userAction(
  roleSchema,
  async (input, ctx) => {
    const result = await changeRole(await getDb(), actorOf(ctx), input, ctx.meta);
    refresh(input.userId);
    if (result.changed && input.userId === ctx.user.id) redirect("/");
    return { ok: true, message: result.changed ? `The role is now ${input.role}.` : "Nothing changed." };
  },
  admin,
);

export const setActiveAction = userAction(
  memberSchema.extend({ active: z.enum(["true", "false"]) }),
  async (input, ctx) => {
    const db = await getDb();
    if (input.active === "false") {
      const result = await deactivateMember(db, actorOf(ctx), input, ctx.meta);
      if (result.self) redirect("/login");
      refresh(input.userId);
      return { ok: true, message: "The member was deactivated and signed out everywhere." };
    }
    await reactivateMember(db, actorOf(ctx), input, ctx.meta);
    refresh(input.userId);
    return { ok: true, message: "The member was reactivated and can sign in again." };
  },
  admin,
);

export const revokeInvitationAction = userAction(
  memberSchema,
  async (input, ctx) => {
    const { email } = await revokeInvitation(await getDb(), actorOf(ctx), input, ctx.meta);
    refresh();
    return { ok: true, message: `The invitation for ${email} was revoked: its links no longer work.` };
  },
  admin,
);
