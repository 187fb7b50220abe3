/**
 * "Add user" and invitations. The new user gets an email with a single-use set-password link valid for
 * 7 days; only the SHA-256 of its token is stored. Accepting sets the password and marks the
 * invitation used. It never creates a session: the user then signs in normally, so 2FA is honoured.
 *
 * The admin's answer never depends on other organisations (S39): an address that already has an
 * account elsewhere gets a placeholder member (users.placeholder_for), shown and handled like any
 * pending invitation, and the address is emailed that it cannot join a second organisation. Only an
 * address already in the admin's own organisation is answered plainly. Invitations are limited per
 * organisation (each one sends an email).
 */
import { randomUUID } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { keys, minutesText, reserveAttempt, type Limit } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Db, Tx } from "@/lib/db/client";
import { invitations, organizations, roles, users } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { sendMail, type MailMessage } from "@/lib/mail";
import { invitationElsewhereEmail } from "@/lib/mail/account-templates";
import { hashPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { checkbox, email, name, newPassword, passwordEmailProblem } from "@/lib/validation";
import { invitationMessage } from "./emails";
import { assertAdmin, assertOwn2faIfRequired, findMember, type AdminActor } from "./guard";

export const INVITATION_DAYS = 7;
export const INVALID_INVITATION = "This invitation link is invalid, was already used or has expired. Ask your administrator for a new one.";
export const ALREADY_MEMBER = "This address already belongs to a member of your organisation.";
/** Invitations (added or sent again) per organisation: 50 an hour. */
export const INVITE_ORG_LIMIT: Limit = { max: 50, windowSeconds: 60 * 60, lockSeconds: 60 * 60 };

export const addMemberSchema = z.object({
  name,
  email,
  role: z.enum(roles, { error: "Choose admin or agent." }),
  requireMfa: checkbox,
});

/** Where links point: NEXTAUTH_URL when set, else the origin of the request that asked. */
export function invitationUrl(baseUrl: string, token: string) {
  return `${baseUrl.replace(/\/+$/, "")}/invite/${token}`;
}

async function createInvitation(tx: Tx, user: { id: string; orgId: string }) {
  const token = randomToken();
  const [row] = await tx
    .insert(invitations)
    .values({
      userId: user.id,
      orgId: user.orgId,
      tokenHash: sha256(token),
      expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
    })
    .returning({ expiresAt: invitations.expiresAt });
  return { token, expiresAt: row!.expiresAt };
}

/** The invitation email; for a placeholder member, the "cannot join a second organisation" one (no link). */
function invitationMail(
  invite: { token: string; expiresAt: Date },
  user: { email: string; name: string; placeholderFor: string | null },
  ctx: { orgName: string; inviterName: string; baseUrl: string },
): MailMessage {
  if (user.placeholderFor) {
    const loginUrl = `${ctx.baseUrl.replace(/\/+$/, "")}/login`;
    return {
      to: user.placeholderFor,
      ...invitationElsewhereEmail({ orgName: ctx.orgName, inviterName: ctx.inviterName, userName: user.name, loginUrl }),
    };
  }
  return invitationMessage({
    to: user.email,
    name: user.name,
    orgName: ctx.orgName,
    inviterName: ctx.inviterName,
    url: invitationUrl(ctx.baseUrl, invite.token),
    expiresAt: invite.expiresAt,
  });
}

async function sendInvitation(
  invite: { token: string; expiresAt: Date },
  user: { email: string; name: string; placeholderFor: string | null },
  ctx: { orgName: string; inviterName: string; baseUrl: string },
) {
  try {
    await sendMail(invitationMail(invite, user, ctx));
    return true;
  } catch {
    return false;
  }
}

async function reserveInvitation(tx: Tx, orgId: string) {
  const reservation = await reserveAttempt(tx, keys.inviteOrg(orgId), INVITE_ORG_LIMIT);
  if (!reservation.allowed) {
    throw new AppError(
      "rate_limited",
      `Too many invitations from your organisation. Try again in ${minutesText(reservation.retryAfterSeconds)}.`,
    );
  }
}

/** A member of this organisation with this address (a placeholder too), if any. */
async function ownMember(tx: Tx, orgId: string, email: string) {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), or(eq(users.email, email), eq(users.placeholderFor, email))));
  return row;
}

type Invitee = { name: string; email: string; role: (typeof roles)[number]; requireMfa: boolean };

/**
 * The new member row: a real one for a fresh address, a placeholder for an address with an account in
 * another organisation (same columns otherwise, so the admin sees no difference). Its own organisation: a field error.
 */
async function insertInvitee(tx: Tx, orgId: string, data: Invitee) {
  if (await ownMember(tx, orgId, data.email)) throw fieldError("email", ALREADY_MEMBER);
  const values = { orgId, name: data.name, role: data.role, mfaEnforced: data.requireMfa, passwordHash: null };
  const [user] = await tx
    .insert(users)
    .values({ ...values, email: data.email })
    .onConflictDoNothing()
    .returning();
  if (user) return user;
  // Taken: by another organisation, or (a concurrent add) by this one.
  if (await ownMember(tx, orgId, data.email)) throw fieldError("email", ALREADY_MEMBER);
  const [placeholder] = await tx
    .insert(users)
    .values({ ...values, email: `placeholder:${randomUUID()}`, placeholderFor: data.email })
    .onConflictDoNothing()
    .returning();
  if (!placeholder) throw fieldError("email", ALREADY_MEMBER);
  return placeholder;
}

/**
 * Adds a user (no password yet) and emails the invitation. "Require 2FA" enforces 2FA on the member
 * (they set it up at first login); like every enforcement it needs the admin's own 2FA once the
 * organisation requires 2FA. A failed email leaves the user added: "Send a new invitation" retries.
 */
export async function addMember(
  db: Db,
  actor: AdminActor,
  data: z.output<typeof addMemberSchema>,
  ctx: { baseUrl: string; meta?: RequestMeta },
) {
  const created = await db.transaction(async (tx) => {
    const { user: admin, org } = await assertAdmin(tx, actor);
    if (data.requireMfa) await assertOwn2faIfRequired(tx, actor, org);
    await reserveInvitation(tx, org.id);
    const user = await insertInvitee(tx, org.id, data);
    const invite = await createInvitation(tx, user);
    await audit(tx, {
      orgId: org.id,
      event: "admin.user.added",
      actorUserId: actor.id,
      targetUserId: user.id,
      detail: { role: user.role, mfaEnforced: user.mfaEnforced },
      meta: ctx.meta,
    });
    return { user, invite, org, admin };
  });
  const emailed = await sendInvitation(created.invite, created.user, {
    orgName: created.org.name,
    inviterName: created.admin.name,
    baseUrl: ctx.baseUrl,
  });
  return { userId: created.user.id, emailed, expiresAt: created.invite.expiresAt };
}

/** A new link for a member who has not chosen a password yet; earlier links stop working. */
export async function resendInvitation(db: Db, actor: AdminActor, input: { userId: string }, ctx: { baseUrl: string; meta?: RequestMeta }) {
  const created = await db.transaction(async (tx) => {
    const { user: admin, org } = await assertAdmin(tx, actor);
    const user = await findMember(tx, actor, input.userId);
    if (user.passwordHash) throw new AppError("conflict", "This member has already accepted their invitation.");
    if (user.deactivatedAt) throw new AppError("conflict", "Reactivate this member before inviting them again.");
    await reserveInvitation(tx, org.id);
    await tx.delete(invitations).where(and(eq(invitations.userId, user.id), isNull(invitations.usedAt)));
    const invite = await createInvitation(tx, user);
    await audit(tx, { orgId: org.id, event: "admin.invitation.resent", actorUserId: actor.id, targetUserId: user.id, meta: ctx.meta });
    return { user, invite, org, admin };
  });
  const emailed = await sendInvitation(created.invite, created.user, {
    orgName: created.org.name,
    inviterName: created.admin.name,
    baseUrl: ctx.baseUrl,
  });
  return { emailed, expiresAt: created.invite.expiresAt };
}

const tokenOk = (token: unknown): token is string => typeof token === "string" && token.length > 0 && token.length <= 200;

/** The invitation behind a link, if it can still be used (for the page; reveals nothing otherwise). */
export async function findInvitation(db: Db, token: unknown) {
  if (!tokenOk(token)) return null;
  const [row] = await db
    .select({ name: users.name, email: users.email, orgName: organizations.name, expiresAt: invitations.expiresAt })
    .from(invitations)
    .innerJoin(users, and(eq(users.id, invitations.userId), eq(users.orgId, invitations.orgId)))
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(
      and(
        eq(invitations.tokenHash, sha256(token)),
        isNull(invitations.usedAt),
        gt(invitations.expiresAt, sql`now()`),
        isNull(users.deactivatedAt),
        isNull(users.placeholderFor),
      ),
    );
  return row ?? null;
}

export const acceptInvitationSchema = z
  .object({
    /** Whatever the link held: a garbled token is simply not found (INVALID_INVITATION), like a used one. */
    token: z.string().max(200).catch(""),
    password: newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

/**
 * Sets the password and marks the invitation used, atomically (two concurrent uses: one wins). Creates
 * no session and no login challenge: the caller sends the user to /login.
 */
export async function acceptInvitation(db: Db, { token, password }: z.output<typeof acceptInvitationSchema>, meta?: RequestMeta) {
  const invitation = await findInvitation(db, token);
  if (!invitation) throw new AppError("not_found", INVALID_INVITATION);
  const problem = passwordEmailProblem(password, invitation.email);
  if (problem) throw fieldError("password", problem);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(invitations)
      .set({ usedAt: sql`now()` })
      .where(and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, sql`now()`)))
      .returning();
    if (!invite) throw new AppError("not_found", INVALID_INVITATION);
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, invite.userId), eq(users.orgId, invite.orgId), isNull(users.deactivatedAt), isNull(users.placeholderFor)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new AppError("not_found", INVALID_INVITATION);
    // Any other link sent to this member stops working too.
    await tx
      .update(invitations)
      .set({ usedAt: sql`now()` })
      .where(and(eq(invitations.userId, user.id), isNull(invitations.usedAt)));
    await audit(tx, { orgId: invite.orgId, event: "invitation.accepted", actorUserId: user.id, targetUserId: user.id, meta });
    return { email: user.email };
  });
}
