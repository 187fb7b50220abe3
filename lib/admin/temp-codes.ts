/**
 * Temporary access codes, the admin and operator side (S40): issue one for a member who lost their
 * second factor, list the live ones, revoke. Storage and format: lib/mfa/temp-codes.ts; use at login:
 * lib/mfa/temp-code-login.ts.
 *
 * Issuing: the actor must be an active admin of the member's organisation (else "forbidden"; another
 * organisation's member is "not found"), with their own 2FA active once the organisation requires it
 * (S28), re-enter their own password (confirmPassword, with its attempt limit) and give a reason. Not
 * for themselves (they manage their own 2FA on their profile), nor for a deactivated or not-yet-joined
 * member; the organisation must allow codes, and the validity (1 to 24 hours, default 1) must be within
 * the organisation's maximum. One live code per member: a new one replaces the older ones.
 *
 * A failed email leaves nothing behind, in three steps like email codes (sending inside a transaction
 * would block the embedded database): 1. a transaction checks everything again and inserts the row;
 * 2. the member is emailed that a code was issued (never the code); failure deletes the row and says
 * "no code was issued"; 3. a transaction makes it official: older live codes of the member end
 * ("replaced") and the issue is audited. Only then is the code returned, to be shown once.
 */
import { and, desc, eq, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditEventName } from "@/lib/audit";
import type { Db, Executor } from "@/lib/db/client";
import { organizations, tempAccessCodes, users } from "@/lib/db/schema";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { sendMail, type MailMessage } from "@/lib/mail";
import { securityNoticeMessage } from "@/lib/mfa/notify";
import {
  formatTempCode,
  liveTempCode,
  newTempCode,
  recordExpiredTempCodes,
  revokeTempCodes,
  tempCodeHash,
  tempCodeHours,
} from "@/lib/mfa/temp-codes";
import type { RequestMeta } from "@/lib/request-context";
import { confirmPassword } from "@/lib/users/profile";
import { checkbox, currentPassword, id, reason } from "@/lib/validation";
import { assertAdmin, assertOwn2faIfRequired, findMember, type AdminActor } from "./guard";
import { memberSchema } from "./member-actions";

export const TEMP_CODES_OFF_MESSAGE = "Temporary access codes are turned off in your organisation's 2FA policy.";
export const NOT_SENT_MESSAGE = "The member could not be emailed, so no code was issued. Please try again.";

export const issueTempCodeSchema = z.object({
  userId: memberSchema.shape.userId,
  password: currentPassword(),
  reason,
  hours: tempCodeHours.optional().transform((h) => h ?? 1),
  removeFactors: checkbox,
});

export const revokeTempCodeSchema = z.object({ codeId: id("Choose a code to revoke.") });

type Org = typeof organizations.$inferSelect;
type Member = typeof users.$inferSelect;

function assertIssuable(org: Org, target: Member, hours: number) {
  if (!org.tempCodesEnabled) throw new AppError("forbidden", TEMP_CODES_OFF_MESSAGE);
  if (hours > org.tempCodeMaxHours) {
    throw fieldError("hours", `Your organisation allows at most ${org.tempCodeMaxHours} hour${org.tempCodeMaxHours === 1 ? "" : "s"}.`);
  }
  if (target.deactivatedAt) throw new AppError("bad_request", "This member is deactivated: reactivate them first.");
  if (!target.passwordHash)
    throw new AppError("bad_request", "This member has not accepted their invitation yet: send a new invitation instead.");
}

type Row = { id: string; userId: string; createdAt: Date; expiresAt: Date };
type Issue = { target: Member; org: Org; issuedBy: string | null; issuerType: "admin" | "operator"; hours: number; removeFactors: boolean };

/** Step 1 (in the caller's transaction): the row, with only the keyed hash of the code. */
async function insertCode(tx: Executor, issue: Issue, code: string): Promise<Row> {
  await recordExpiredTempCodes(tx, { userId: issue.target.id });
  const [row] = await tx
    .insert(tempAccessCodes)
    .values({
      userId: issue.target.id,
      orgId: issue.org.id,
      issuedBy: issue.issuedBy,
      issuerType: issue.issuerType,
      codeHash: tempCodeHash(code),
      removeFactors: issue.removeFactors,
      expiresAt: sql`now() + make_interval(hours => ${issue.hours})`,
    })
    .returning({
      id: tempAccessCodes.id,
      userId: tempAccessCodes.userId,
      createdAt: tempAccessCodes.createdAt,
      expiresAt: tempAccessCodes.expiresAt,
    });
  return row!;
}

/** Step 2: the notice to the member; if it cannot be sent, the row goes again and nothing was issued. */
async function deliver(db: Db, row: Row, message: MailMessage) {
  try {
    await sendMail(message);
  } catch {
    await db.delete(tempAccessCodes).where(eq(tempAccessCodes.id, row.id));
    throw new AppError("unavailable", NOT_SENT_MESSAGE);
  }
}

/** Step 3: still live (not revoked meanwhile)? Then older codes end and the issue is audited. */
async function finalise(
  db: Db,
  row: Row,
  entry: {
    event: AuditEventName;
    actorUserId: string | null;
    actorType: "user" | "operator";
    detail: Record<string, unknown>;
    meta?: RequestMeta;
    orgId: string;
  },
) {
  await db.transaction(async (tx) => {
    const [live] = await tx
      .select({ id: tempAccessCodes.id })
      .from(tempAccessCodes)
      .where(and(eq(tempAccessCodes.id, row.id), liveTempCode()))
      .for("update");
    if (!live)
      throw new AppError(
        "conflict",
        "The code was withdrawn before it could be shown (codes were turned off meanwhile). Nothing was issued.",
      );
    const older = and(eq(tempAccessCodes.userId, row.userId), ne(tempAccessCodes.id, row.id), lt(tempAccessCodes.createdAt, row.createdAt));
    await revokeTempCodes(tx, older, { actorUserId: entry.actorUserId, actorType: entry.actorType, cause: "replaced", meta: entry.meta });
    await audit(tx, { ...entry, targetUserId: row.userId, detail: { codeId: row.id, ...entry.detail } });
  });
}

/** The admin's "Issue a temporary access code" on the member page. The code is returned once, here only. */
export async function issueTempCode(db: Db, actor: AdminActor, input: z.output<typeof issueTempCodeSchema>, meta?: RequestMeta) {
  const { userId, password, reason, hours, removeFactors } = input;
  // Authorisation first (an agent learns nothing, not even whether the password was right).
  const first = await assertAdmin(db, actor);
  await assertOwn2faIfRequired(db, actor, first.org);
  const member = await findMember(db, actor, userId);
  if (member.id === actor.id)
    throw new AppError("bad_request", "You cannot issue a code for yourself: manage your own two-factor authentication on your profile.");
  assertIssuable(first.org, member, hours);
  await confirmPassword(db, actor, password, "password");

  const code = newTempCode();
  const { row, issue, admin } = await db.transaction(async (tx) => {
    const { user: admin, org } = await assertAdmin(tx, actor);
    // Serialised with policy changes: a code is never issued under a setting that was just turned off.
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, org.id)).for("update");
    await assertOwn2faIfRequired(tx, actor, org);
    const target = await findMember(tx, actor, userId);
    assertIssuable(org, target, hours);
    const issue: Issue = { target, org, issuedBy: admin.id, issuerType: "admin", hours, removeFactors };
    return { row: await insertCode(tx, issue, code), issue, admin };
  });
  const recipient = { email: issue.target.email, name: issue.target.name, org: issue.org };
  await deliver(
    db,
    row,
    securityNoticeMessage(recipient, "temp-code-issued", {
      issuer: `An administrator (${admin.name})`,
      expiresAt: row.expiresAt,
      reason,
      removeFactors,
    }),
  );
  await finalise(db, row, {
    orgId: issue.org.id,
    event: "admin.temp_code.issued",
    actorUserId: actor.id,
    actorType: "user",
    detail: { hours, expiresAt: row.expiresAt.toISOString(), removeFactors, reason },
    meta,
  });
  return { code: formatTempCode(code), codeId: row.id, expiresAt: row.expiresAt, hours, removeFactors };
}

/**
 * `npm run admin -- temp-code <email> [--hours N]`: for an admin locked out of their own account when no
 * other admin can help; better than reset-2fa, which removes their 2FA. The organisation's switch and
 * maximum apply; the old factors stay. Audited with actorType "operator"; the user is emailed.
 */
export async function operatorIssueTempCode(db: Db, email: string, options: { hours?: number; operator?: string } = {}) {
  const hoursParsed = tempCodeHours.safeParse(options.hours ?? 1);
  if (!hoursParsed.success) throw new AppError("bad_request", hoursParsed.error.issues[0]?.message ?? "Choose 1 to 24 hours.");
  const hours = hoursParsed.data;
  const address = email.trim().toLowerCase();
  const code = newTempCode();
  const { row, issue } = await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ user: users, org: organizations })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.email, address));
    if (!found) throw new AppError("not_found", `No user with the email address ${address}.`);
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, found.org.id)).for("update");
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, found.org.id));
    try {
      assertIssuable(org!, found.user, hours);
    } catch (error) {
      // The operator sees plain sentences (no form fields), with the way out when codes are off.
      if (error instanceof AppError && error.code === "forbidden")
        throw new AppError("forbidden", `${TEMP_CODES_OFF_MESSAGE} Use reset-2fa instead.`);
      throw error instanceof AppError && error.fieldErrors ? new AppError("bad_request", error.message) : error;
    }
    const issue: Issue = { target: found.user, org: org!, issuedBy: null, issuerType: "operator", hours, removeFactors: false };
    return { row: await insertCode(tx, issue, code), issue };
  });
  const recipient = { email: issue.target.email, name: issue.target.name, org: issue.org };
  await deliver(db, row, securityNoticeMessage(recipient, "temp-code-issued", { issuer: "A server operator", expiresAt: row.expiresAt }));
  await finalise(db, row, {
    orgId: issue.org.id,
    event: "operator.temp_code.issued",
    actorUserId: null,
    actorType: "operator",
    detail: { hours, expiresAt: row.expiresAt.toISOString(), ...(options.operator ? { operator: options.operator } : {}) },
    meta: { ip: "server", userAgent: "npm run admin" },
  });
  return { code: formatTempCode(code), email: issue.target.email, role: issue.target.role, expiresAt: row.expiresAt, hours };
}

/** The member page: the member's live codes (expired ones are recorded first), and the organisation's setting. */
export async function listTempCodes(db: Db, actor: AdminActor, userId: string) {
  return db.transaction(async (tx) => {
    const { org } = await assertAdmin(tx, actor);
    const member = await findMember(tx, actor, userId);
    await recordExpiredTempCodes(tx, { userId: member.id });
    const codes = await tx
      .select({
        id: tempAccessCodes.id,
        issuerType: tempAccessCodes.issuerType,
        issuerName: users.name,
        createdAt: tempAccessCodes.createdAt,
        expiresAt: tempAccessCodes.expiresAt,
        removeFactors: tempAccessCodes.removeFactors,
      })
      .from(tempAccessCodes)
      .leftJoin(users, eq(users.id, tempAccessCodes.issuedBy))
      .where(and(eq(tempAccessCodes.userId, member.id), eq(tempAccessCodes.orgId, org.id), liveTempCode()))
      .orderBy(desc(tempAccessCodes.createdAt));
    return { codes, enabled: org.tempCodesEnabled, maxHours: org.tempCodeMaxHours };
  });
}

/** "Revoke" on the member page (any admin of the organisation: ending access needs no extra step). */
export async function revokeTempCode(db: Db, actor: AdminActor, input: z.infer<typeof revokeTempCodeSchema>, meta?: RequestMeta) {
  return db.transaction(async (tx) => {
    await assertAdmin(tx, actor);
    const [code] = await tx
      .select({ id: tempAccessCodes.id, userId: tempAccessCodes.userId })
      .from(tempAccessCodes)
      .where(and(eq(tempAccessCodes.id, input.codeId), eq(tempAccessCodes.orgId, actor.orgId)));
    if (!code) throw notFound("That code");
    await recordExpiredTempCodes(tx, { userId: code.userId });
    const ended = await revokeTempCodes(tx, eq(tempAccessCodes.id, code.id), { actorUserId: actor.id, cause: "revoked_by_admin", meta });
    return { revoked: ended.length === 1, userId: code.userId };
  });
}
