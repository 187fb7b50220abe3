"use server";
/** Development only (refused in production, like the page): send a sample of any template. */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publicAction } from "@/lib/action";
import { sampleKinds } from "@/lib/mail/sample-kinds";
import { sendSampleMail } from "@/lib/mail/samples";

const sampleSchema = z.object({
  to: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address." })),
  kind: z.enum(sampleKinds, { error: "Choose a template." }),
});

export const sendSampleAction = publicAction(sampleSchema, async ({ to, kind }) => {
  await sendSampleMail(to, kind);
  revalidatePath("/dev/mailbox");
  return { ok: true, message: `Sample sent to ${to}.` };
});
