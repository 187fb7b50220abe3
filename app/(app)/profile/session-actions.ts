"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { signOutOtherSessions } from "@/lib/users/sessions";

/** "Sign out of all other sessions": every other browser of this user is refused on its next request. */
export const signOutOtherSessionsAction = userAction(z.object({}), async (_input, { user, meta }) => {
  const { ended } = await signOutOtherSessions(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, meta);
  revalidatePath("/profile");
  return {
    ok: true,
    message: ended === 0 ? "You were not signed in anywhere else." : `Signed out of ${ended} other session${ended === 1 ? "" : "s"}.`,
  };
});
