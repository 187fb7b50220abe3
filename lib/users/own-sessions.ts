/** The user's own signed-in browsers: list them, and sign out of every one but the current. */
import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { audit } from "@/lib/audit";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";
import { SESSION_IDLE_SECONDS } from "@/lib/config";
import type { Db, Executor } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { AppError, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";

type Actor = { id: string; orgId: string; sessionId: string };

function liveSessions(actor: { id: string; orgId: string }) {
  return and(
    eq(sessions.userId, actor.id),
    eq(sessions.orgId, actor.orgId),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, sql`now()`),
    gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${SESSION_IDLE_SECONDS})`),
  );
}

/** Sessions that validateSession would still accept, most recently active first; `current` marks this browser. */
export async function listActiveSessions(db: Executor, actor: Actor) {
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      method: sessions.method,
      clientName: sessions.clientName,
      clientKind: sessions.clientKind,
    })
    .from(sessions)
    .where(liveSessions(actor))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
  return rows.map((r) => ({ ...r, current: r.id === actor.sessionId })).sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends every other session of the user (their next request is refused), keeps this one; audited. */
export async function signOutOtherSessions(db: Db, actor: Actor, meta?: RequestMeta) {
  return db.transaction(async (tx) => {
    const others = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(liveSessions(actor), ne(sessions.id, actor.sessionId)));
    await revokeOtherSessions(tx, actor.id, actor.sessionId);
    await audit(tx, {
      orgId: actor.orgId,
      event: "session.revoked",
      actorUserId: actor.id,
      targetUserId: actor.id,
      detail: { scope: "others", count: others.length },
      meta,
    });
    return { ended: others.length };
  });
}

/**
 * "Sign out" of one other session from Security › Sessions (a browser, or an app signed in through the API:
 * its tokens end with it). Only the user's own, live sessions, never this one (that is the normal sign-out).
 */
export async function signOutOtherSession(db: Db, actor: Actor, sessionId: string, meta?: RequestMeta) {
  if (sessionId === actor.sessionId) throw new AppError("bad_request", "Use Sign out to end this session.");
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.id, sessionId), liveSessions(actor)))
      .returning({ id: sessions.id, clientKind: sessions.clientKind });
    if (ended.length === 0) throw notFound("That session");
    await audit(tx, {
      orgId: actor.orgId,
      event: "session.revoked",
      actorUserId: actor.id,
      targetUserId: actor.id,
      detail: { scope: "one", ...(ended[0]!.clientKind ? { client: ended[0]!.clientKind } : {}) },
      meta,
    });
    return { ended: 1 };
  });
}

/** Sign-out of this browser (next-auth's signOut event): the session row ends, audited once. */
export async function signOutSession(db: Db, userId: string, sessionId: string, meta?: RequestMeta) {
  await db.transaction(async (tx) => {
    const [live] = await tx
      .select({ orgId: sessions.orgId })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    if (!live) return;
    await revokeSession(tx, userId, sessionId);
    await audit(tx, {
      orgId: live.orgId,
      event: "session.revoked",
      actorUserId: userId,
      targetUserId: userId,
      detail: { scope: "this", reason: "signed_out" },
      meta,
    });
  });
}
