/**
 * Server-side session records. The JWT (next-auth) carries the session id and the user's session
 * version; both are checked against the database on every request, so the server can end a session
 * (revoke its row) or all of a user's sessions (bump the version).
 */
import { and, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import { SESSION_IDLE_SECONDS, SESSION_MAX_AGE_SECONDS } from "@/lib/config";
import type { Executor } from "@/lib/db/client";
import { loginChallenges, organizations, passwordResets, rememberedDevices, sessions, users } from "@/lib/db/schema";
import type { FactorType, Role } from "@/lib/db/schema";

export type SessionClaims = { uid: string; sid: string; ver: number };

export type CurrentUser = {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  mfaEnforced: boolean;
  mfaResetAt: Date | null;
  sessionId: string;
  org: {
    id: string;
    name: string;
    require2fa: boolean;
    graceUntil: Date | null;
    allowTotp: boolean;
    allowEmail: boolean;
    allowWebauthn: boolean;
    adminMethods: FactorType[] | null;
    rememberDeviceDays: number;
  };
};

export async function createSession(
  db: Executor,
  input: { userId: string; orgId: string; method: string | null; ip?: string | null; userAgent?: string | null },
) {
  const [row] = await db
    .insert(sessions)
    .values({
      userId: input.userId,
      orgId: input.orgId,
      method: input.method,
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    })
    .returning({ id: sessions.id });
  return row!.id;
}

/** The user behind a session's claims, or null if the session was ended, expired, idle or the user is gone. */
export async function validateSession(db: Executor, claims: SessionClaims): Promise<CurrentUser | null> {
  const [row] = await db
    .select({
      user: users,
      org: organizations,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(
      and(
        eq(sessions.id, claims.sid),
        eq(sessions.userId, claims.uid),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${SESSION_IDLE_SECONDS})`),
        eq(users.sessionVersion, claims.ver),
        isNull(users.deactivatedAt),
      ),
    );
  if (!row) return null;
  // Touch at most once a minute: keeps the idle timeout honest without a write per request.
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.id, claims.sid));
  }
  const { user, org } = row;
  return {
    id: user.id,
    orgId: user.orgId,
    email: user.email,
    name: user.name,
    role: user.role,
    mfaEnforced: user.mfaEnforced,
    mfaResetAt: user.mfaResetAt,
    sessionId: claims.sid,
    org: {
      id: org.id,
      name: org.name,
      require2fa: org.require2fa,
      graceUntil: org.graceUntil,
      allowTotp: org.allowTotp,
      allowEmail: org.allowEmail,
      allowWebauthn: org.allowWebauthn,
      adminMethods: org.adminMethods,
      rememberDeviceDays: org.rememberDeviceDays,
    },
  };
}

export async function revokeSession(db: Executor, userId: string, sessionId: string) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

/** Ends every session of the user except `keepSessionId` (the one making the change), if given. */
export async function revokeOtherSessions(db: Executor, userId: string, keepSessionId?: string) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keepSessionId ? ne(sessions.id, keepSessionId) : undefined));
}

/** Ends every session of the user, including JWTs whose session rows are gone: bumps the version. */
export async function endAllSessions(db: Executor, userId: string) {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
  await revokeOtherSessions(db, userId);
}

/**
 * Logins in progress (password passed, session not yet created) end too: a completed one is a session in
 * waiting. `keepChallengeId`: the login making the change (a temporary access code removing old factors).
 */
export async function endPendingLogins(db: Executor, userId: string, keepChallengeId?: string) {
  await db
    .delete(loginChallenges)
    .where(
      and(
        eq(loginChallenges.userId, userId),
        isNull(loginChallenges.consumedAt),
        keepChallengeId ? ne(loginChallenges.id, keepChallengeId) : undefined,
      ),
    );
}

/**
 * The one way to end a user's access: their sessions (all, or all but `keepSessionId`, the session making
 * the change), their remembered browsers and their logins in progress (all, or all but `keepChallengeId`, the
 * login making the change: its session is created after this, under the new session version) and their unused
 * password-reset links (a link emailed before the change must not open the account after it). Every feature
 * that must end access (password change or reset, factor removal, admin reset, deactivation) calls this, so
 * none forgets a part.
 */
export async function revokeAccess(db: Executor, userId: string, options: { keepSessionId?: string; keepChallengeId?: string } = {}) {
  // Logins in progress first: a login finishing meanwhile either loses its challenge here or has committed its
  // session before the next statement, which then ends it (and both take their row locks in the login's order).
  await endPendingLogins(db, userId, options.keepChallengeId);
  if (options.keepSessionId) await revokeOtherSessions(db, userId, options.keepSessionId);
  else await endAllSessions(db, userId);
  const devices = await db.delete(rememberedDevices).where(eq(rememberedDevices.userId, userId)).returning({ id: rememberedDevices.id });
  await db
    .update(passwordResets)
    .set({ supersededAt: sql`now()` })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt)));
  return { rememberedDevices: devices.length };
}

/**
 * revokeAccess for a whole organisation (or one role of it) at once: one set-based statement per table,
 * for the incident responses (lib/admin/incident.ts), so 1,000 members take a few statements, not a loop.
 * The same parts as revokeAccess: every session (the session version is bumped, so JWTs whose rows are
 * gone die too, and remembered-browser device cookies become unknown), remembered browsers, logins in
 * progress and unused password-reset links. `keepUserId` + `keepSessionId`: the acting admin keeps that one
 * session (their version is not bumped); their other sessions end like everyone's.
 */
export async function revokeOrgAccess(
  db: Executor,
  orgId: string,
  options: { role?: Role; keepUserId?: string; keepSessionId?: string } = {},
) {
  const { role, keepUserId, keepSessionId } = options;
  const scope = <T extends typeof sessions | typeof loginChallenges | typeof rememberedDevices | typeof passwordResets>(t: T) =>
    role
      ? inArray(
          t.userId,
          db
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.orgId, orgId), eq(users.role, role))),
        )
      : undefined;
  // Logins in progress first, as revokeAccess does: the same lock order as a login finishing (challenge,
  // then user, then session), so the two cannot deadlock, and no login slips between the statements.
  const logins = await db
    .delete(loginChallenges)
    .where(and(eq(loginChallenges.orgId, orgId), isNull(loginChallenges.consumedAt), scope(loginChallenges)))
    .returning({ id: loginChallenges.id });
  const bumped = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.orgId, orgId), role ? eq(users.role, role) : undefined, keepUserId ? ne(users.id, keepUserId) : undefined))
    .returning({ id: users.id });
  const ended = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.orgId, orgId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
        scope(sessions),
      ),
    )
    .returning({ id: sessions.id });
  const devices = await db
    .delete(rememberedDevices)
    .where(and(eq(rememberedDevices.orgId, orgId), scope(rememberedDevices)))
    .returning({ id: rememberedDevices.id });
  await db
    .update(passwordResets)
    .set({ supersededAt: sql`now()` })
    .where(and(eq(passwordResets.orgId, orgId), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt), scope(passwordResets)));
  return { users: bumped.length, sessions: ended.length, pendingLogins: logins.length, rememberedDevices: devices.length };
}
