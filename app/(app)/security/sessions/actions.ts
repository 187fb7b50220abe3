"use server";
/** Server actions of Security › Sessions and browsers (/security/sessions). */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { forgetDevice, forgetDeviceSchema } from "@/lib/mfa/remembered-devices";
import { signOutOtherSession, signOutOtherSessions } from "@/lib/users/own-sessions";
import { id } from "@/lib/validation";

const PAGE = "/security/sessions";

export const forgetDeviceAction = userAction(forgetDeviceSchema, async (input, { user, meta }) => {
  await forgetDevice(await getDb(), user, input, meta);
  revalidatePath(PAGE);
  return { ok: true, message: "This browser will be asked for a second factor again." };
});

/** "Sign out of all other sessions": every other browser of this user is refused on its next request. */
export const signOutOtherSessionsAction = userAction(z.object({}), async (_input, { user, meta }) => {
  const { ended } = await signOutOtherSessions(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, meta);
  revalidatePath(PAGE);
  return {
    ok: true,
    message: ended === 0 ? "You were not signed in anywhere else." : `Signed out of ${ended} other session${ended === 1 ? "" : "s"}.`,
  };
});

/** "Sign out" of one other session (a browser, or an app signed in through the API: its tokens end too). */
export const signOutSessionAction = userAction(z.object({ sessionId: id("Unknown session.") }), async (input, { user, meta }) => {
  await signOutOtherSession(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, input.sessionId, meta);
  revalidatePath(PAGE);
  return { ok: true, message: "Signed out of that session." };
});
