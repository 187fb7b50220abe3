/** Profile changes by the user themselves. */
import { eq, and } from "drizzle-orm";
import { z } from "zod";
import { PASSWORD_ACCOUNT_LIMIT, keys, minutesText, reserveAttempt, resetAttempts } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { revokeAccess } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db/client";
import { organizations, users } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { notifyUser } from "@/lib/mfa/notify";
import { hashPassword, verifyPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { currentPassword, name, newPassword, passwordEmailProblem } from "@/lib/validation";

type Actor = { id: string; orgId: string; sessionId?: string };

export const updateNameSchema = z.object({ name });

export async function updateName(db: Db, actor: Actor, input: z.infer<typeof updateNameSchema>, meta?: RequestMeta) {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ name: input.name })
      .where(and(eq(users.id, actor.id), eq(users.orgId, actor.orgId)));
    await audit(tx, { orgId: actor.orgId, event: "user.profile.updated", actorUserId: actor.id, targetUserId: actor.id, meta });
  });
}

export const changePasswordSchema = z
  .object({
    currentPassword: currentPassword(),
    newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

/**
 * Checks the user's current password (re-authentication for sensitive changes). Attempts are limited
 * like login attempts, so a stolen session cannot be used to guess the password.
 */
export async function confirmPassword(db: Db, actor: Actor, password: string, field = "password") {
  const key = keys.reauth(actor.id);
  const reservation = await reserveAttempt(db, key, PASSWORD_ACCOUNT_LIMIT);
  if (!reservation.allowed) {
    throw new AppError("rate_limited", `Too many incorrect passwords. Try again in ${minutesText(reservation.retryAfterSeconds)}.`);
  }
  const [row] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, actor.id), eq(users.orgId, actor.orgId)));
  if (!(await verifyPassword(row?.passwordHash, password))) throw fieldError(field, "Incorrect password.");
  await resetAttempts(db, key);
}

/** Changes the password; the user's other sessions and remembered devices end; the user is emailed (S25). */
export async function changePassword(db: Db, actor: Actor, input: z.infer<typeof changePasswordSchema>, meta?: RequestMeta) {
  const [own] = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.id, actor.id), eq(users.orgId, actor.orgId)));
  const problem = own && passwordEmailProblem(input.newPassword, own.email);
  if (problem) throw fieldError("newPassword", problem);
  await confirmPassword(db, actor, input.currentPassword, "currentPassword");
  const passwordHash = await hashPassword(input.newPassword);
  const recipient = await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, actor.id), eq(users.orgId, actor.orgId)));
    await revokeAccess(tx, actor.id, { keepSessionId: actor.sessionId });
    await audit(tx, { orgId: actor.orgId, event: "user.password.changed", actorUserId: actor.id, targetUserId: actor.id, meta });
    const [row] = await tx
      .select({ email: users.email, name: users.name, orgName: organizations.name })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.id, actor.id));
    return row;
  });
  // After the commit: a mail failure is logged by sendMail and the change stands.
  if (recipient) {
    await notifyUser({ ...recipient, org: { name: recipient.orgName } }, "password-changed", {
      at: new Date(),
      userAgent: meta?.userAgent,
      ip: meta?.ip,
    });
  }
}
