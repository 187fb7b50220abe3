"use server";
/** Server actions of Security › Account (/security/account): name and password. */
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { changePassword, changePasswordSchema, updateName, updateNameSchema } from "@/lib/users/profile";

export const updateNameAction = userAction(updateNameSchema, async (input, { user, meta }) => {
  await updateName(await getDb(), { id: user.id, orgId: user.orgId }, input, meta);
  revalidatePath("/", "layout");
  return { ok: true, message: "Your name was saved." };
});

export const changePasswordAction = userAction(changePasswordSchema, async (input, { user, meta }) => {
  await changePassword(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, input, meta);
  return { ok: true, message: "Your password was changed. Your other sessions were signed out." };
});
