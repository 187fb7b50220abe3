/**
 * Opening a password-reset link: pass the second factor when the user has one other than email
 * (reset-links.ts stepUpOptions), then choose the new password. The second factor is checked by the
 * login's own code (lib/mfa/verify-login.ts): the same failed-attempt budget, lockout and TOTP replay
 * guard. Passing it binds the link to this browser (a random proof in an httpOnly cookie, its SHA-256
 * on the row), so someone else holding the link still cannot choose the password.
 *
 * The new password follows the sign-up rules; setting it uses the link once (a conditional UPDATE),
 * ends every session, remembered browser and login in progress of the user (revokeAccess), audits,
 * and emails the owner. It signs nobody in: the user then logs in with the new password and 2FA.
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { keys, resetAttempts } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { randomToken, sha256 } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { passwordResets, users } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import { notifyUser } from "@/lib/mfa/notify";
import {
  checkRecoveryCode,
  checkTotpFactor,
  finishWith,
  recoveryLoginSchema,
  totpCommit,
  type FactorSubject,
} from "@/lib/mfa/verify-login";
import { hashPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { newPassword, passwordEmailProblem, sixDigitCode } from "@/lib/validation";
import { RESET_LINK_MESSAGES, findResetLink, stepUpOptions, verifiedBy, type LiveResetLink } from "./reset-links";
import { revokeAccess } from "./sessions";

const token = z
  .string({ error: RESET_LINK_MESSAGES.invalid.text })
  .min(1, RESET_LINK_MESSAGES.invalid.text)
  .max(200, RESET_LINK_MESSAGES.invalid.text);

export const resetTotpSchema = z.object({ token, code: sixDigitCode("from your authenticator app") });
export const resetRecoverySchema = z.object({ token, code: recoveryLoginSchema.shape.code });
export const resetPasswordSchema = z
  .object({ token, password: newPassword, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const STEP_UP_FIRST = "Confirm your second factor first.";

async function liveLink(db: Executor, value: string): Promise<LiveResetLink> {
  const found = await findResetLink(db, value);
  if (found.status !== "ok") throw new AppError("not_found", RESET_LINK_MESSAGES[found.status].text);
  return found.link;
}

/**
 * Checks the second factor for a link (method "totp" or "recovery"). On success returns the proof to
 * keep in this browser's cookie, with the link's expiry; on failure throws the login's reply.
 */
export async function verifyResetFactor(db: Db, input: { token: string; code: string }, method: "totp" | "recovery", meta: RequestMeta) {
  const link = await liveLink(db, input.token);
  const options = await stepUpOptions(db, link);
  if (!options.required) throw new AppError("conflict", "This account needs no second factor to reset its password.");
  if (!options[method])
    throw fieldError(
      "code",
      method === "totp" ? "You have no authenticator app: use a recovery code." : "You have no recovery codes left.",
    );
  const proof = randomToken();
  const subject: FactorSubject = { user: link.user, org: link.org, purpose: "password-reset" };
  const finish = async (tx: Executor, detail: Record<string, unknown>) => {
    const marked = await tx
      .update(passwordResets)
      .set({ verifiedHash: sha256(proof), verifiedMethod: method })
      .where(
        and(
          eq(passwordResets.id, link.reset.id),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.supersededAt),
          sql`${passwordResets.expiresAt} > now()`,
        ),
      )
      .returning({ id: passwordResets.id });
    // Rolls back the code's use with it: the link ended while the code was being checked.
    if (marked.length !== 1) throw new AppError("not_found", RESET_LINK_MESSAGES.expired.text);
    await resetAttempts(tx, keys.mfa(link.user.id));
    await audit(tx, {
      orgId: link.user.orgId,
      event: "password.reset.verified",
      actorUserId: link.user.id,
      targetUserId: link.user.id,
      detail: { method, ...detail },
      meta,
    });
  };
  if (method === "totp") await checkTotpFactor(db, subject, input.code, meta, totpCommit(finish));
  else await checkRecoveryCode(db, subject, input.code, meta, finishWith(db, finish));
  return { proof, expiresAt: link.reset.expiresAt };
}

/**
 * Sets the new password with the link (`proof`: this browser's cookie from verifyResetFactor). Returns
 * the account's email; throws "not_found" with the link's state when it cannot be used, "forbidden"
 * when the second factor is needed first, field errors for the password.
 */
export async function completePasswordReset(
  db: Db,
  input: z.infer<typeof resetPasswordSchema>,
  proof: string | null | undefined,
  meta: RequestMeta,
) {
  const link = await liveLink(db, input.token);
  const problem = passwordEmailProblem(input.password, link.user.email);
  if (problem) throw fieldError("password", problem);
  if ((await stepUpOptions(db, link)).required && !verifiedBy(link.reset, proof)) throw new AppError("forbidden", STEP_UP_FIRST);
  const passwordHash = await hashPassword(input.password);
  const done = await db.transaction(async (tx) => {
    // Re-checked inside the transaction: a factor added since, or a concurrent use of the link.
    const step = await stepUpOptions(tx, link);
    const [used] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(passwordResets.id, link.reset.id),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.supersededAt),
          sql`${passwordResets.expiresAt} > now()`,
          step.required
            ? and(isNotNull(passwordResets.verifiedHash), eq(passwordResets.verifiedHash, proof ? sha256(proof) : ""))
            : undefined,
        ),
      )
      .returning();
    if (!used) return null;
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, link.user.id), eq(users.orgId, link.user.orgId), isNull(users.deactivatedAt), isNotNull(users.passwordHash)))
      .returning({ id: users.id });
    if (!user) throw new AppError("not_found", RESET_LINK_MESSAGES.invalid.text);
    const ended = await revokeAccess(tx, user.id);
    const [admin] = used.sentBy ? await tx.select({ name: users.name }).from(users).where(eq(users.id, used.sentBy)) : [];
    const method = step.required ? used.verifiedMethod : null;
    await audit(tx, {
      orgId: link.user.orgId,
      event: "password.reset.completed",
      actorUserId: user.id,
      targetUserId: user.id,
      detail: { method: method ?? "none", rememberedDevices: ended.rememberedDevices, requestedBy: used.sentBy ? "admin" : "user" },
      meta,
    });
    return { method, adminName: admin?.name };
  });
  if (!done) {
    const now = await findResetLink(db, input.token);
    throw now.status === "ok" ? new AppError("forbidden", STEP_UP_FIRST) : new AppError("not_found", RESET_LINK_MESSAGES[now.status].text);
  }
  // After the commit: a mail failure is logged by sendMail and the change stands.
  await notifyUser({ ...link.user, org: link.org }, "password-reset", {
    at: new Date(),
    ip: meta.ip,
    userAgent: meta.userAgent,
    method: done.method,
    sentByAdmin: done.adminName,
  });
  return { email: link.user.email };
}
