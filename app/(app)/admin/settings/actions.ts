"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { policySchema, updatePolicy } from "@/lib/admin/settings";
import { getDb } from "@/lib/db/client";

export const updatePolicyAction = userAction(
  policySchema,
  async (input, { user, meta }) => {
    const result = await updatePolicy(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId }, input, meta);
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
