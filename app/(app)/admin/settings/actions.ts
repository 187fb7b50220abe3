"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { policySchema, updatePolicy } from "@/lib/admin/settings";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/request-context";

export const updatePolicyAction = userAction(
  policySchema,
  async (input, { user, meta }) => {
    const actor = { id: user.id, orgId: user.orgId, sessionId: user.sessionId };
    const result = await updatePolicy(await getDb(), actor, input, meta, new Date(), await requestLocale());
    revalidatePath("/", "layout");
    const ended = result.devicesEnded
      ? ` ${result.devicesEnded} remembered browser${result.devicesEnded === 1 ? " was" : "s were"} forgotten: they will be asked for the second step again.`
      : "";
    const codes = result.tempCodesEnded
      ? ` ${result.tempCodesEnded} temporary access code${result.tempCodesEnded === 1 ? " was" : "s were"} revoked.`
      : "";
    return { ok: true, message: result.changed.length ? `Settings saved. ${result.summary}${ended}${codes}` : "Nothing changed." };
  },
  { role: "admin" },
);
