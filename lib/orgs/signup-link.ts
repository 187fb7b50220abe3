/**
 * Sign-up, step 2: the emailed link. Opening it shows what will be created; confirming creates the
 * organisation and its admin in one transaction that deletes the pending row first (single use: of
 * concurrent confirmations exactly one finds the row). It creates no session: the new admin then signs
 * in normally, so every 2FA rule applies from the first login.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { audit } from "@/lib/audit";
import { sha256 } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { organizations, signupRequests, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";

export const INVALID_SIGNUP_LINK = "This sign-up link is invalid, was already used or has expired. Sign up again to get a new link.";
export const SIGNUP_ADDRESS_TAKEN = "This email address already has an account, so no organisation was created. Sign in with it instead.";

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
export async function completeSignup(db: Db, token: unknown, meta?: RequestMeta) {
  if (!tokenOk(token)) throw new AppError("not_found", INVALID_SIGNUP_LINK);
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
