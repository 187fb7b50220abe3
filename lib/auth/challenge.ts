/**
 * Login challenges: the server-side state between "password OK" and "session created". The browser
 * holds a random token; the row holds its hash, the user, expiry (10 minutes) and whether every
 * required factor has passed. The session is created only by consuming a completed challenge, once.
 */
import { and, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import { randomToken, sha256 } from "@/lib/crypto";
import { rowsOf, type Executor } from "@/lib/db/client";
import { loginChallenges, organizations, users } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";
import { consumeChallengeGate, openSessionWith, type OpenedRow } from "./session-sql";

export const CHALLENGE_TTL_SECONDS = 10 * 60;

export async function createChallenge(
  db: Executor,
  input: {
    userId: string;
    orgId: string;
    completedMethod: string | null;
    meta?: RequestMeta;
    /** The password step's counters, in the same statement: this one reset, that one given its attempt back. */
    resetKey?: string;
    releaseKey?: string;
    /** A remembered browser let this login skip the second factor: its last use is recorded. */
    rememberedTokenHash?: string;
  },
) {
  const token = randomToken();
  const ctes: SQL[] = [];
  if (input.resetKey) ctes.push(sql`r AS (DELETE FROM attempt_counters WHERE key = ${input.resetKey})`);
  if (input.releaseKey) {
    ctes.push(
      sql`l AS (UPDATE attempt_counters SET count = GREATEST(0, count - 1) WHERE key = ${input.releaseKey} AND locked_until IS NULL)`,
    );
  }
  if (input.rememberedTokenHash) {
    ctes.push(
      sql`d AS (UPDATE remembered_devices SET last_used_at = now() WHERE token_hash = ${input.rememberedTokenHash} AND user_id = ${input.userId})`,
    );
  }
  const [row] = await rowsOf<{ id: string }>(
    db,
    sql`${ctes.length ? sql`WITH ${sql.join(ctes, sql`, `)}` : sql``}
      INSERT INTO login_challenges (token_hash, user_id, org_id, expires_at, completed_at, method, ip, user_agent, client_name, client_kind)
      VALUES (${sha256(token)}, ${input.userId}, ${input.orgId}, now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS}),
        ${input.completedMethod ? sql`now()` : sql`NULL`}, ${input.completedMethod}, ${input.meta?.ip ?? null}, ${input.meta?.userAgent ?? null},
        ${input.meta?.client?.name ?? null}, ${input.meta?.client?.kind ?? null})
      RETURNING id`,
  );
  return { token, challengeId: String(row!.id) };
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
 * Consumes a completed challenge and creates the session, in one statement (lib/auth/session-sql.ts).
 * The UPDATE … WHERE consumed_at IS NULL makes it single-use: of two concurrent calls exactly one gets a
 * session. For logins whose last step completed the challenge in an earlier request (enrolment at login,
 * "skip for now", a password-only user); the second-factor step opens its session itself.
 */
export async function consumeChallenge(
  db: Executor,
  token: string | null | undefined,
  meta: RequestMeta = { ip: "unknown", userAgent: "" },
): Promise<OpenedRow | null> {
  if (!token || token.length > 200) return null;
  const { opened } = await openSessionWith(db, { gate: consumeChallengeGate(sql`token_hash = ${sha256(token)}`), meta });
  return opened;
}
