/**
 * Removing a member's 2FA completely (lost device): every factor, recovery code, pending email code,
 * remembered device, unfinished login and session goes, and the 2FA lockout is cleared so the member
 * can sign in and enrol again. Used by the admin's "Remove 2FA" and by the operator command.
 */
import { eq } from "drizzle-orm";
import { keys, resetAttempts } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { revokeAccess } from "@/lib/auth/sessions";
import type { Db, Executor } from "@/lib/db/client";
import { emailCodes, mfaFactors, organizations, recoveryCodes, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { mfaRemovedMessage } from "./emails";

/** `keepChallengeId`: the login in progress that is removing them (a temporary access code), which goes on. */
export async function wipeMfa(tx: Executor, userId: string, options: { keepChallengeId?: string } = {}) {
  const factors = await tx.delete(mfaFactors).where(eq(mfaFactors.userId, userId)).returning({ id: mfaFactors.id });
  const codes = await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).returning({ id: recoveryCodes.id });
  await tx.delete(emailCodes).where(eq(emailCodes.userId, userId));
  const { rememberedDevices } = await revokeAccess(tx, userId, options);
  await resetAttempts(tx, keys.mfa(userId));
  return { factors: factors.length, recoveryCodes: codes.length, rememberedDevices };
}

/** Sends the "your 2FA was reset" notice; a delivery failure is reported, the reset stands. */
export async function notifyMfaRemoved(user: { email: string; name: string }, orgName: string, by: string) {
  try {
    await sendMail(mfaRemovedMessage({ to: user.email, name: user.name, orgName, by }));
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm run admin -- reset-2fa <email>`: for an admin locked out of their own account (no other admin
 * can help). Runs on the server only; audited with actorType "operator".
 */
export async function operatorReset2fa(db: Db, email: string, options: { operator?: string } = {}) {
  const address = email.trim().toLowerCase();
  const result = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ user: users, orgName: organizations.name })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.email, address))
      .for("update", { of: users });
    if (!row) throw new AppError("not_found", `No user with the email address ${address}.`);
    const removed = await wipeMfa(tx, row.user.id);
    await audit(tx, {
      orgId: row.user.orgId,
      event: "operator.mfa.reset",
      actorType: "operator",
      actorUserId: null,
      targetUserId: row.user.id,
      detail: { ...removed, ...(options.operator ? { operator: options.operator } : {}) },
      meta: { ip: "server", userAgent: "npm run admin" },
    });
    return { user: row.user, orgName: row.orgName, removed };
  });
  const emailed = await notifyMfaRemoved(result.user, result.orgName, "A server operator");
  return { userId: result.user.id, email: result.user.email, role: result.user.role, ...result.removed, emailed };
}
