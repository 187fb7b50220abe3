"use server";
import { publicAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { completeSignup, confirmSignupSchema } from "@/lib/orgs/signup-link";

/** Creates the organisation and its admin from the emailed link. No session: the admin then signs in. */
export const confirmSignupAction = publicAction(confirmSignupSchema, async (input, { meta }) => {
  const { user } = await completeSignup(await getDb(), input, meta);
  return { ok: true, data: { email: user.email } };
});
