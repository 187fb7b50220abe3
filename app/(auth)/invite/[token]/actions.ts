"use server";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/action";
import { acceptInvitation, acceptInvitationSchema } from "@/lib/admin/invitations";
import { getDb } from "@/lib/db/client";

/** Sets the invited user's password. No session is created: they sign in normally (password, then 2FA). */
export const acceptInvitationAction = publicAction(acceptInvitationSchema, async (input, { meta }) => {
  await acceptInvitation(await getDb(), input, meta);
  redirect("/login?invited=1");
});
