"use server";
import { headers } from "next/headers";
import { publicAction } from "@/lib/action";
import { isProduction } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requestSignup, signupSchema } from "@/lib/orgs/signup";

/**
 * Where the emailed links point: NEXTAUTH_URL. Only in development, without it, the origin this request
 * came to: in production a link built from an anonymous request's Host header could point anywhere.
 */
async function linkBaseUrl() {
  if (process.env.NEXTAUTH_URL) return process.env.NEXTAUTH_URL;
  if (isProduction()) {
    console.error("[signup] NEXTAUTH_URL is not set: sign-up links cannot be sent");
    throw new AppError("unavailable", "Sign-up is not available right now. Please try again later.");
  }
  const h = await headers();
  const host = h.get("host") ?? "localhost:3000";
  return `${/^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? "http" : "https"}://${host}`;
}

/**
 * Sends the sign-up email. The answer is the same whether or not the address has an account: the
 * address itself is told what happens next, never the visitor.
 */
export const requestSignupAction = publicAction(signupSchema, async (input, { meta }) => {
  await requestSignup(await getDb(), input, { baseUrl: await linkBaseUrl(), meta });
  return { ok: true, data: { email: input.email } };
});
