"use server";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { forgetDevice, forgetDeviceSchema } from "@/lib/mfa/remembered-devices";

export const forgetDeviceAction = userAction(forgetDeviceSchema, async (input, { user, meta }) => {
  await forgetDevice(await getDb(), user, input, meta);
  revalidatePath("/profile");
  return { ok: true, message: "This browser will be asked for a second factor again." };
});
