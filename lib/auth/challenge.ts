/**
 * Login challenges: the server-side state between "password OK" and "session created". The browser
 * holds a random token; the row holds its hash, the user, expiry (10 minutes) and whether every
 * required factor has passed. The session is created only by consuming a completed challenge, once.
 */
import { and, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { audit } from "@/lib/audit";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { loginChallenges, organizations, users } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";
import { createSession } from "./sessions";

export const CHALLENGE_TTL_SECONDS = 10 * 60;

export async function createChallenge(
  db: Executor,
  input: { userId: string; orgId: string; completedMethod: string | null; meta?: RequestMeta },
) {
  const token = randomToken();
  const [row] = await db
    .insert(loginChallenges)
    .values({
      tokenHash: sha256(token),
      userId: input.userId,
      orgId: input.orgId,
      expiresAt: sql`now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS})`,
      completedAt: input.completedMethod ? sql`now()` : null,
      method: input.completedMethod,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
    })
    .returning({ id: loginChallenges.id });
  return { token, challengeId: row!.id };
}

/** A live (unexpired, unconsumed) challenge with its user and organisation, or null. */
export async function findChallenge(db: Executor, token: string | null | undefined) {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ challenge: loginChallenges, user: users, org: organizations })
    .from(loginChallenges)
    .innerJoin(users, eq(users.id, loginChallenges.userId))
    .innerJoin(organizations, eq(organizations.id, loginChallenges.orgId))
    .where(
      and(
        eq(loginChallenges.tokenHash, sha256(token)),
        isNull(loginChallenges.consumedAt),
        gt(loginChallenges.expiresAt, sql`now()`),
        isNull(users.deactivatedAt),
      ),
    );
  return row ?? null;
}

export type LiveChallenge = NonNullable<Awaited<ReturnType<typeof findChallenge>>>;

/** Marks the challenge as passed (every required factor done). Atomic: only a pending, live challenge moves. */
export async function completeChallenge(db: Executor, challengeId: string, method: string) {
  const rows = await db
    .update(loginChallenges)
    .set({ completedAt: sql`now()`, method })
    .where(
      and(
        eq(loginChallenges.id, challengeId),
        isNull(loginChallenges.completedAt),
        isNull(loginChallenges.consumedAt),
        gt(loginChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: loginChallenges.id });
  return rows.length === 1;
}

/**
 * Consumes a completed challenge and creates the session, in one transaction. The UPDATE … WHERE
 * consumed_at IS NULL makes it single-use: of two concurrent calls exactly one gets a session.
 */
export async function consumeChallenge(db: Db, token: string | null | undefined, meta?: RequestMeta) {
  if (!token || token.length > 200) return null;
  return db.transaction(async (tx) => {
    const [challenge] = await tx
      .update(loginChallenges)
      .set({ consumedAt: sql`now()` })
      .where(
        and(
          eq(loginChallenges.tokenHash, sha256(token)),
          isNull(loginChallenges.consumedAt),
          isNotNull(loginChallenges.completedAt),
          gt(loginChallenges.expiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!challenge) return null;
    const [before] = await tx.select({ lastLoginAt: users.lastLoginAt }).from(users).where(eq(users.id, challenge.userId));
    const [user] = await tx
      .update(users)
      .set({ lastLoginAt: sql`now()` })
      .where(and(eq(users.id, challenge.userId), eq(users.orgId, challenge.orgId), isNull(users.deactivatedAt)))
      .returning();
    if (!user) return null;
    const sessionId = await createSession(tx, {
      userId: user.id,
      orgId: user.orgId,
      method: challenge.method,
      ip: meta?.ip ?? challenge.ip,
      userAgent: meta?.userAgent ?? challenge.userAgent,
    });
    await audit(tx, {
      orgId: user.orgId,
      event: "login.success",
      actorUserId: user.id,
      targetUserId: user.id,
      detail: { method: challenge.method ?? "password" },
      meta: meta ?? { ip: challenge.ip ?? "unknown", userAgent: challenge.userAgent ?? "" },
    });
    // The account's very first sign-in (just signed up, or invited): no earlier browser to compare with.
    return { user, sessionId, method: challenge.method, firstSignIn: !before?.lastLoginAt };
  });
}
