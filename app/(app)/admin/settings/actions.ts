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
    return { ok: true, message: result.changed.length ? `Settings saved. ${result.summary}` : "Nothing changed." };
  },
  { role: "admin" },
);
