"use server";
import { publicAction } from "@/lib/action";
import { appBaseUrl } from "@/lib/app-url";
import { getDb } from "@/lib/db/client";
import { requestSignup, signupSchema } from "@/lib/orgs/signup";

/**
 * Sends the sign-up email. The answer is the same whether or not the address has an account: the
 * address itself is told what happens next, never the visitor.
 */
export const requestSignupAction = publicAction(signupSchema, async (input, { meta }) => {
  await requestSignup(await getDb(), input, { baseUrl: await appBaseUrl(), meta });
  return { ok: true, data: { email: input.email } };
});
