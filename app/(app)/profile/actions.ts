"use server";
/** Every server action of the profile page (/profile): account, two-factor management, sessions and browsers. */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import {
  disableMfa,
  passwordOnlySchema,
  regenerateRecoveryCodes,
  removeFactor,
  removeFactorSchema,
  renameFactor,
  renameFactorSchema,
} from "@/lib/mfa/manage";
import { forgetDevice, forgetDeviceSchema } from "@/lib/mfa/remembered-devices";
import { changePassword, changePasswordSchema, updateName, updateNameSchema } from "@/lib/users/profile";
import { signOutOtherSessions } from "@/lib/users/own-sessions";

export const updateNameAction = userAction(updateNameSchema, async (input, { user, meta }) => {
  await updateName(await getDb(), { id: user.id, orgId: user.orgId }, input, meta);
  revalidatePath("/", "layout");
  return { ok: true, message: "Your name was saved." };
});

export const changePasswordAction = userAction(changePasswordSchema, async (input, { user, meta }) => {
  await changePassword(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, input, meta);
  return { ok: true, message: "Your password was changed. Your other sessions were signed out." };
});

export const renameFactorAction = userAction(renameFactorSchema, async (input, { user, meta }) => {
  await renameFactor(await getDb(), user, input, meta);
  revalidatePath("/profile");
  return { ok: true, message: "Renamed." };
});

export const removeFactorAction = userAction<typeof removeFactorSchema, string>(removeFactorSchema, async (input, { user, meta }) => {
  const result = await removeFactor(await getDb(), user, input, meta);
  revalidatePath("/profile");
  return { ok: true, data: result.mfaOff ? "mfa-off" : "factor-removed" };
});

export const regenerateCodesAction = userAction(passwordOnlySchema, async (input, { user, meta }) => {
  const codes = await regenerateRecoveryCodes(await getDb(), user, input, meta);
  revalidatePath("/profile");
  return { ok: true, data: { codes } };
});

export const disableMfaAction = userAction(passwordOnlySchema, async (input, { user, meta }) => {
  await disableMfa(await getDb(), user, input, meta);
  revalidatePath("/profile");
  return { ok: true };
});

export const forgetDeviceAction = userAction(forgetDeviceSchema, async (input, { user, meta }) => {
  await forgetDevice(await getDb(), user, input, meta);
  revalidatePath("/profile");
  return { ok: true, message: "This browser will be asked for a second factor again." };
});

/** "Sign out of all other sessions": every other browser of this user is refused on its next request. */
export const signOutOtherSessionsAction = userAction(z.object({}), async (_input, { user, meta }) => {
  const { ended } = await signOutOtherSessions(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, meta);
  revalidatePath("/profile");
  return {
    ok: true,
    message: ended === 0 ? "You were not signed in anywhere else." : `Signed out of ${ended} other session${ended === 1 ? "" : "s"}.`,
  };
});
