"use server";
/** Server actions of Security › Notifications (/security/notifications): an admin's own alert switches. */
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { alertPrefsSchema, updateAlertPrefs } from "@/lib/alerts/prefs";
import { getDb } from "@/lib/db/client";

export const updateAlertPrefsAction = userAction(
  alertPrefsSchema,
  async (input, { user, meta }) => {
    const { off } = await updateAlertPrefs(await getDb(), { id: user.id, orgId: user.orgId }, input, meta);
    revalidatePath("/security/notifications");
    return {
      ok: true,
      message: off.length
        ? `Saved. ${off.length} kind${off.length === 1 ? " is" : "s are"} switched off for you.`
        : "Saved. You receive every alert.",
    };
  },
  { role: "admin" },
);
