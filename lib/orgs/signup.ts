/**
 * Sign-up, step 1: the form. It answers the same whether or not the address already has an account
 * (same message, same work: the password is hashed on both paths) and finishes by email:
 * - a new address gets a link (24 hours, single use); the organisation and its admin are created only
 *   when it is opened (lib/orgs/signup-link.ts). The pending row holds the SHA-256 of the token and
 *   the argon2id hash of the password chosen here; a new request for the address replaces it, so
 *   older links stop working;
 * - an address that has an account gets a notice (someone tried to sign up; how to sign in), no link.
 * Requests are limited per client address and per email address (each one sends an email). A failed
 * send leaves nothing behind and says so.
 */
import { and, eq, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { keys, minutesText, reserveAttempt, type Limit } from "@/lib/attempts";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { organizations, signupRequests, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { signupExistingAccountEmail, signupLinkEmail } from "@/lib/mail/account-templates";
import { hashPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { email, name, newPassword, passwordNotEmail } from "@/lib/validation";

export const signupSchema = z
  .object({
    organization: name,
    name,
    email,
    password: newPassword,
  })
  .superRefine(passwordNotEmail());

export const SIGNUP_LINK_HOURS = 24;
/** Per client address: 10 sign-up requests an hour (25 probes in a row are not all answered). */
export const SIGNUP_IP_LIMIT: Limit = { max: 10, windowSeconds: 60 * 60, lockSeconds: 60 * 60 };
/** Per email address, whoever asks: 5 an hour (no mailbox gets flooded with sign-up mail). */
export const SIGNUP_EMAIL_LIMIT: Limit = { max: 5, windowSeconds: 60 * 60, lockSeconds: 60 * 60 };
export const SIGNUP_MAIL_FAILED = "We could not send the email, so nothing was created. Please try again in a moment.";

export function signupLinkUrl(baseUrl: string, token: string) {
  return `${baseUrl.replace(/\/+$/, "")}/signup/confirm/${token}`;
}

async function reserve(db: Db, email: string, meta: RequestMeta) {
  for (const [key, limit] of [
    [keys.signupIp(meta.ip), SIGNUP_IP_LIMIT],
    [keys.signupEmail(email), SIGNUP_EMAIL_LIMIT],
  ] as const) {
    const reservation = await reserveAttempt(db, key, limit);
    if (!reservation.allowed) {
      throw new AppError("rate_limited", `Too many sign-up attempts. Try again in ${minutesText(reservation.retryAfterSeconds)}.`);
    }
  }
}

/**
 * Handles a submitted sign-up form. Resolves with nothing on both paths (the caller shows "Check your
 * email"); throws only for the rate limit or a failed email, again the same on both paths.
 */
export async function requestSignup(
  db: Db,
  input: z.infer<typeof signupSchema>,
  ctx: { baseUrl: string; meta: RequestMeta },
): Promise<void> {
  await reserve(db, input.email, ctx.meta);
  // Hashed on both paths, so an existing address does not answer faster.
  const passwordHash = await hashPassword(input.password);
  const [existing] = await db
    .select({ name: users.name, orgName: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, input.email));
  // Expired requests go; so does a pending one for an address that has an account by now.
  await db
    .delete(signupRequests)
    .where(or(lte(signupRequests.expiresAt, sql`now()`), existing ? eq(signupRequests.email, input.email) : undefined));

  const base = ctx.baseUrl.replace(/\/+$/, "");
  if (existing) {
    await deliver(() =>
      sendMail({
        to: input.email,
        ...signupExistingAccountEmail({ orgName: existing.orgName, userName: existing.name, loginUrl: `${base}/login` }),
      }),
    );
    return;
  }

  const token = randomToken();
  const pending = {
    tokenHash: sha256(token),
    organizationName: input.organization,
    name: input.name,
    passwordHash,
    createdAt: sql`now()`,
    expiresAt: sql`now() + make_interval(hours => ${SIGNUP_LINK_HOURS})`,
  };
  // One row per address: a newer request replaces the token, so every older link stops working.
  const [row] = await db
    .insert(signupRequests)
    .values({ email: input.email, ...pending })
    .onConflictDoUpdate({ target: signupRequests.email, set: pending })
    .returning({ expiresAt: signupRequests.expiresAt });
  await deliver(
    () =>
      sendMail({
        to: input.email,
        ...signupLinkEmail({
          orgName: input.organization,
          userName: input.name,
          link: signupLinkUrl(base, token),
          expiresOn: row!.expiresAt,
        }),
      }),
    // Nothing half-made: the request goes again (unless a newer one replaced it meanwhile).
    () => db.delete(signupRequests).where(and(eq(signupRequests.email, input.email), eq(signupRequests.tokenHash, pending.tokenHash))),
  );
}

async function deliver(send: () => Promise<void>, undo?: () => Promise<unknown>) {
  try {
    await send();
  } catch {
    await undo?.();
    throw new AppError("unavailable", SIGNUP_MAIL_FAILED);
  }
}
