/**
 * Sign-up, step 2: the emailed link. Opening it shows what will be created; confirming asks for the
 * password chosen on the form (so a sign-up someone else started for this address, with a password only
 * they know, cannot be confirmed by the address's owner into an account the other person holds), then
 * creates the organisation and its admin in one transaction that deletes the pending row first (single
 * use: of concurrent confirmations exactly one finds the row). It creates no session: the new admin then
 * signs in normally, so every 2FA rule applies from the first login.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { reserveAttempt, type Limit } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { sha256 } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { organizations, signupRequests, users } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { verifyPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { currentPassword } from "@/lib/validation";

export const INVALID_SIGNUP_LINK = "This sign-up link is invalid, was already used or has expired. Sign up again to get a new link.";
export const SIGNUP_ADDRESS_TAKEN = "This email address already has an account, so no organisation was created. Sign in with it instead.";

export const WRONG_SIGNUP_PASSWORD = "That is not the password chosen when signing up. If you did not sign up, ignore this link.";
/** Wrong passwords per link: after 5 the link is used up (whoever holds it cannot guess on). */
export const SIGNUP_CONFIRM_LIMIT: Limit = { max: 5, windowSeconds: 24 * 60 * 60, lockSeconds: 24 * 60 * 60 };

export const confirmSignupSchema = z.object({
  token: z.string().max(300),
  password: currentPassword(WRONG_SIGNUP_PASSWORD),
});

/** Tokens are 43 base64url characters; anything else is not looked up. */
const tokenOk = (token: unknown): token is string => typeof token === "string" && /^[A-Za-z0-9_-]{16,200}$/.test(token);

const live = (token: string) => and(eq(signupRequests.tokenHash, sha256(token)), gt(signupRequests.expiresAt, sql`now()`));

/** What a still-valid link would create (for the confirmation page), or null. */
export async function findSignupRequest(db: Db, token: unknown) {
  if (!tokenOk(token)) return null;
  const [row] = await db
    .select({
      organizationName: signupRequests.organizationName,
      name: signupRequests.name,
      email: signupRequests.email,
      expiresAt: signupRequests.expiresAt,
    })
    .from(signupRequests)
    .where(live(token));
  return row ?? null;
}

/**
 * Uses the link: creates the organisation and its admin (with the password hash chosen on the form).
 * Throws not_found for an invalid, used or expired link, and conflict when the address has an account
 * by now (then the link is used up and nothing is created).
 */
export async function completeSignup(db: Db, { token, password }: z.output<typeof confirmSignupSchema>, meta?: RequestMeta) {
  if (!tokenOk(token)) throw new AppError("not_found", INVALID_SIGNUP_LINK);
  const [pending] = await db.select({ passwordHash: signupRequests.passwordHash }).from(signupRequests).where(live(token));
  if (!pending) throw new AppError("not_found", INVALID_SIGNUP_LINK);
  const attempt = await reserveAttempt(db, `signup-confirm:${sha256(token)}`, SIGNUP_CONFIRM_LIMIT);
  if (!attempt.allowed) {
    await db.delete(signupRequests).where(live(token));
    throw new AppError("not_found", INVALID_SIGNUP_LINK);
  }
  if (!(await verifyPassword(pending.passwordHash, password))) {
    if (attempt.count >= SIGNUP_CONFIRM_LIMIT.max) await db.delete(signupRequests).where(live(token));
    throw fieldError("password", WRONG_SIGNUP_PASSWORD);
  }
  const outcome = await db.transaction(async (tx) => {
    const [request] = await tx.delete(signupRequests).where(live(token)).returning();
    if (!request) return { kind: "invalid" as const };
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, request.email));
    if (taken) return { kind: "taken" as const };
    const [org] = await tx.insert(organizations).values({ name: request.organizationName }).returning();
    const [user] = await tx
      .insert(users)
      .values({ orgId: org!.id, email: request.email, name: request.name, passwordHash: request.passwordHash, role: "admin" })
      .onConflictDoNothing()
      .returning();
    // Taken between the check and the insert (an invitation): undo everything, the link stays usable.
    if (!user) throw new AppError("conflict", SIGNUP_ADDRESS_TAKEN);
    await audit(tx, { orgId: org!.id, event: "user.signup", actorUserId: user.id, targetUserId: user.id, meta });
    return { kind: "created" as const, org: org!, user };
  });
  if (outcome.kind === "invalid") throw new AppError("not_found", INVALID_SIGNUP_LINK);
  if (outcome.kind === "taken") throw new AppError("conflict", SIGNUP_ADDRESS_TAKEN);
  return { org: outcome.org, user: outcome.user };
}
