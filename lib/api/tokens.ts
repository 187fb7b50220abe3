/**
 * The JSON API's bearer tokens (S42). Each pair is a row of api_tokens tied to a row of `sessions`, so
 * whatever ends a session (sign out, "sign out other sessions", revokeAccess on a password change, factor
 * removal, admin reset, deactivation: a revoked row or a bumped users.session_version, expiry, idle
 * timeout) ends its tokens: every use is checked by validateSession, like the web's JWT.
 *
 * - Opaque: 256 random bits, `gat_`/`grt_` prefixes (secret scanners, and an access token is never taken
 *   for a refresh token); only their SHA-256 is stored.
 * - Access: 15 minutes. Refresh: 30 days, but never past the session's own expiry (the org's session rules).
 * - A refresh rotates the pair: the old row is marked rotated (its access token stops too) and a new one
 *   is written, in one statement. Presenting a rotated refresh token again is reuse: someone else holds a
 *   copy, so the whole family (the session, and with it every pair) ends, audited.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { audit } from "@/lib/audit";
import { mfaAccess } from "@/lib/auth/access";
import { validateSession, type CurrentUser } from "@/lib/auth/sessions";
import { randomToken, sha256 } from "@/lib/crypto";
import { rowsOf, type Db, type Executor } from "@/lib/db/client";
import { apiTokens, sessions } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";
import { ApiProblem } from "./problem";

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60;
const ACCESS_PREFIX = "gat_";
const REFRESH_PREFIX = "grt_";

export type TokenPair = {
  tokenType: "Bearer";
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  /** Seconds the refresh token lives (at most the session's own expiry). */
  refreshExpiresIn: number;
};

/** The session a pair belongs to, as the web's JWT names it. */
type SessionRef = { sessionId: string; userId: string; orgId: string; sessionVersion: number };

const newPair = () => ({ access: ACCESS_PREFIX + randomToken(), refresh: REFRESH_PREFIX + randomToken() });
const hashOf = (token: string, prefix: string) => (token.startsWith(prefix) && token.length <= 200 ? sha256(token) : null);

function pairOf(tokens: { access: string; refresh: string }, refreshExpiresAt: unknown): TokenPair {
  const refreshMs = new Date(refreshExpiresAt as string).getTime() - Date.now();
  return {
    tokenType: "Bearer",
    accessToken: tokens.access,
    refreshToken: tokens.refresh,
    expiresIn: ACCESS_TOKEN_SECONDS,
    refreshExpiresIn: Math.max(0, Math.floor(refreshMs / 1000)),
  };
}

/** The columns of a new pair for `session`, its refresh bounded by the session's expiry (one INSERT … SELECT). */
const insertPair = (tokens: { access: string; refresh: string }, from: ReturnType<typeof sql>) => sql`
  INSERT INTO api_tokens (session_id, user_id, org_id, session_version, access_hash, refresh_hash, access_expires_at, refresh_expires_at)
  SELECT f.session_id, f.user_id, f.org_id, f.session_version, ${sha256(tokens.access)}, ${sha256(tokens.refresh)},
    LEAST(now() + make_interval(secs => ${ACCESS_TOKEN_SECONDS}), f.session_expires_at),
    LEAST(now() + make_interval(secs => ${REFRESH_TOKEN_SECONDS}), f.session_expires_at)
  FROM (${from}) AS f
  RETURNING refresh_expires_at`;

/** The first pair of a session the API just opened (after the last factor passed). */
export async function issueTokens(db: Executor, session: SessionRef): Promise<TokenPair> {
  const tokens = newPair();
  const [row] = await rowsOf<{ refresh_expires_at: string }>(
    db,
    insertPair(
      tokens,
      sql`SELECT id AS session_id, user_id, org_id, ${session.sessionVersion}::int AS session_version, expires_at AS session_expires_at
        FROM sessions WHERE id = ${session.sessionId} AND user_id = ${session.userId} AND revoked_at IS NULL`,
    ),
  );
  if (!row) throw new ApiProblem("challenge_expired", "This sign-in has ended. Please sign in again.");
  return pairOf(tokens, row.refresh_expires_at);
}

const INVALID = "The token is not valid or has expired. Sign in again.";

/** The signed-in user behind an access token (validated like a web session), or the reason why not. */
export type ApiPrincipal = CurrentUser & { mustEnrol: boolean; enrolBy: Date | null; client: { name: string; kind: string } | null };

export async function authenticate(db: Executor, accessToken: string): Promise<ApiPrincipal> {
  const hash = hashOf(accessToken, ACCESS_PREFIX);
  const [row] = hash
    ? await db
        .select({
          sessionId: apiTokens.sessionId,
          userId: apiTokens.userId,
          ver: apiTokens.sessionVersion,
          clientName: sessions.clientName,
          clientKind: sessions.clientKind,
        })
        .from(apiTokens)
        .innerJoin(sessions, eq(sessions.id, apiTokens.sessionId))
        .where(and(eq(apiTokens.accessHash, hash), isNull(apiTokens.rotatedAt), gt(apiTokens.accessExpiresAt, sql`now()`)))
    : [];
  const user = row ? await validateSession(db, { uid: row.userId, sid: row.sessionId, ver: row.ver }) : null;
  if (!row || !user) throw new ApiProblem("invalid_token", INVALID);
  const client = row.clientName && row.clientKind ? { name: row.clientName, kind: row.clientKind } : null;
  return { ...user, ...(await mfaAccess(db, user)), client };
}

/**
 * A new pair for a refresh token, the old pair ended. Reuse of a rotated token (or losing a race with a
 * concurrent refresh of the same token) ends the session: both holders must sign in again.
 */
export async function refreshTokens(db: Db, refreshToken: string, meta: RequestMeta): Promise<TokenPair> {
  const hash = hashOf(refreshToken, REFRESH_PREFIX);
  const [row] = hash ? await db.select().from(apiTokens).where(eq(apiTokens.refreshHash, hash)) : [];
  if (!row || row.refreshExpiresAt.getTime() <= Date.now()) throw new ApiProblem("invalid_token", INVALID);
  if (row.rotatedAt) return reused(db, row, meta);
  // The session must still be live, exactly as for the web (and the refresh counts as activity).
  const live = await validateSession(db, { uid: row.userId, sid: row.sessionId, ver: row.sessionVersion });
  if (!live) throw new ApiProblem("invalid_token", INVALID);
  const tokens = newPair();
  const [next] = await rowsOf<{ refresh_expires_at: string }>(
    db,
    sql`WITH old AS (
        UPDATE api_tokens SET rotated_at = now() WHERE id = ${row.id} AND rotated_at IS NULL
        RETURNING session_id, user_id, org_id, session_version)
      ${insertPair(
        tokens,
        sql`SELECT old.*, s.expires_at AS session_expires_at FROM old JOIN sessions s ON s.id = old.session_id AND s.revoked_at IS NULL`,
      )}`,
  );
  if (!next) return reused(db, row, meta);
  return pairOf(tokens, next.refresh_expires_at);
}

async function reused(db: Db, row: typeof apiTokens.$inferSelect, meta: RequestMeta): Promise<never> {
  await db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.id, row.sessionId), eq(sessions.userId, row.userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    await audit(tx, {
      orgId: row.orgId,
      event: "api.token.reused",
      actorUserId: row.userId,
      targetUserId: row.userId,
      detail: { sessionEnded: ended.length === 1 },
      meta,
    });
  });
  throw new ApiProblem(
    "refresh_token_reused",
    "This refresh token was already used, so another copy of it may exist: the session has been ended. Sign in again.",
  );
}
