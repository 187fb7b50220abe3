/**
 * "Add user" and invitations. The new user gets an email with a single-use set-password link valid for
 * 7 days; only the SHA-256 of its token is stored. Accepting sets the password and marks the
 * invitation used. It never creates a session: the user then signs in normally, so 2FA is honoured.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { emailSchema } from "@/lib/auth/login";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Db, Tx } from "@/lib/db/client";
import { invitations, organizations, roles, users } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { nameSchema } from "@/lib/orgs/signup";
import { hashPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { newPassword, passwordEmailProblem } from "@/lib/validation";
import { invitationMessage } from "./emails";
import { assertAdmin, assertOwn2faIfRequired, findMember, type AdminActor } from "./guard";
import { checkbox } from "./settings";

export const INVITATION_DAYS = 7;
export const INVALID_INVITATION = "This invitation link is invalid, was already used or has expired. Ask your administrator for a new one.";

export const addMemberSchema = z.object({
  name: nameSchema,
  email: emailSchema,
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

async function sendInvitation(
  invite: { token: string; expiresAt: Date },
  user: { email: string; name: string; mfaEnforced: boolean },
  ctx: { orgName: string; inviterName: string; baseUrl: string },
) {
  try {
    await sendMail(
      invitationMessage({
        to: user.email,
        name: user.name,
        orgName: ctx.orgName,
        inviterName: ctx.inviterName,
        url: invitationUrl(ctx.baseUrl, invite.token),
        expiresAt: invite.expiresAt,
      }),
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * Adds a user (no password yet) and emails the invitation. "Require 2FA" enforces 2FA on the member
 * (they set it up at first login); like every enforcement it needs the admin's own 2FA once the
 * organisation requires 2FA. A failed email leaves the user added: "Send a new invitation" retries.
 */
export async function addMember(
  db: Db,
  actor: AdminActor,
  input: z.input<typeof addMemberSchema>,
  ctx: { baseUrl: string; meta?: RequestMeta },
) {
  const parsed = addMemberSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("bad_request", "Please correct the highlighted fields.", z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  }
  const data = parsed.data;
  const created = await db.transaction(async (tx) => {
    const { user: admin, org } = await assertAdmin(tx, actor);
    if (data.requireMfa) await assertOwn2faIfRequired(tx, actor, org);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, data.email));
    if (existing) throw fieldError("email", "An account with this email address already exists.");
    const [user] = await tx
      .insert(users)
      .values({ orgId: org.id, email: data.email, name: data.name, role: data.role, mfaEnforced: data.requireMfa, passwordHash: null })
      .onConflictDoNothing()
      .returning();
    if (!user) throw fieldError("email", "An account with this email address already exists.");
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
      and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, sql`now()`), isNull(users.deactivatedAt)),
    );
  return row ?? null;
}

export const acceptInvitationSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

/**
 * Sets the password and marks the invitation used, atomically (two concurrent uses: one wins). Creates
 * no session and no login challenge: the caller sends the user to /login.
 */
export async function acceptInvitation(db: Db, input: z.input<typeof acceptInvitationSchema>, meta?: RequestMeta) {
  const parsed = acceptInvitationSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    if (fieldErrors.token) throw new AppError("not_found", INVALID_INVITATION);
    throw new AppError("bad_request", "Please correct the highlighted fields.", fieldErrors);
  }
  const { token, password } = parsed.data;
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
      .where(and(eq(users.id, invite.userId), eq(users.orgId, invite.orgId), isNull(users.deactivatedAt)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new AppError("not_found", INVALID_INVITATION);
    // Any other link sent to this member stops working too.
    await tx.update(invitations).set({ usedAt: sql`now()` }).where(and(eq(invitations.userId, user.id), isNull(invitations.usedAt)));
    await audit(tx, { orgId: invite.orgId, event: "invitation.accepted", actorUserId: user.id, targetUserId: user.id, meta });
    return { email: user.email };
  });
}
