"use server";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { finishPasskeyRegistration, finishPasskeySchema, startPasskeyRegistration } from "@/lib/mfa/passkey-enrolment";

/** Options for the browser's dialog: a fresh challenge, single use, 5 minutes (also for a user who must enrol). */
export const startPasskeyAction = userAction(
  z.object({}),
  async (_input, { user }) => ({ ok: true, data: { options: await startPasskeyRegistration(await getDb(), user) } }),
  { enrolment: true },
);

/** The browser's answer: verified and stored. No revalidatePath: "Done" in the success dialog navigates and refreshes. */
export const finishPasskeyAction = userAction(
  finishPasskeySchema,
  async (input, { user, meta }) => {
    const result = await finishPasskeyRegistration(await getDb(), user, input, meta);
    return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
  },
  { enrolment: true },
);
