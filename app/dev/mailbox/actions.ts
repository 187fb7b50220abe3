"use server";
/** Development only (refused in production, like the page): send a sample of any template. */
import { revalidatePath } from "next/cache";
import { publicAction } from "@/lib/action";
import { sampleSchema, sendSampleMail } from "@/lib/mail/samples";

export const sendSampleAction = publicAction(sampleSchema, async ({ to, kind }) => {
  await sendSampleMail(to, kind);
  revalidatePath("/dev/mailbox");
  return { ok: true, message: `Sample sent to ${to}.` };
});
