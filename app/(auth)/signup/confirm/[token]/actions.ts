"use server";
import { z } from "zod";
import { publicAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { completeSignup } from "@/lib/orgs/signup-link";

/** Creates the organisation and its admin from the emailed link. No session: the admin then signs in. */
export const confirmSignupAction = publicAction(z.object({ token: z.string().max(300) }), async ({ token }, { meta }) => {
  const { user } = await completeSignup(await getDb(), token, meta);
  return { ok: true, data: { email: user.email } };
});
