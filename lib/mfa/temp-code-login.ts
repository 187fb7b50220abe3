/**
 * "Use a temporary access code from your admin" on the 2FA step of login (S40): the code stands in for
 * the second factor, never for the password (the challenge exists only after the password step).
 *
 * Like every factor: the attempt is first reserved in the per-account budget shared with TOTP, email and
 * recovery codes (MFA_LIMIT, keys.mfa: a locked account cannot try a code, a burst gets no extra tries),
 * a success resets it, a failure is audited and the failure that reaches the limit locks. The code is
 * used with one conditional UPDATE (`ended_at IS NULL AND expires_at > now()`) in the transaction that
 * completes the login: of concurrent uses exactly one wins, and a login that cannot complete uses nothing.
 *
 * "Also remove the old factors" takes effect here, when the code is used, in that same transaction
 * (factors, recovery codes, email codes, remembered browsers, other sessions and other logins in
 * progress): an unused, revoked or expired code removes nothing. The login in progress is kept, and its
 * session is created under the new session version. If 2FA is required, that session can reach only
 * enrolment (lib/auth/access.ts) until a new factor is set up; a member who signs out first enrols at
 * their next sign-in, as after "Remove 2FA".
 *
 * A code that matches one that was used, revoked or expired gets its own message (it is still counted:
 * it did not pass). No "remember this browser" here: a one-time code must not turn into 30 days of
 * skipping the second step.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { wipeMfa } from "@/lib/admin/remove-mfa";
import { alertAdmins } from "@/lib/alerts/admin-alerts";
import { audit } from "@/lib/audit";
import type { LiveChallenge } from "@/lib/auth/challenge";
import type { Db } from "@/lib/db/client";
import { tempAccessCodes } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { notifyUser } from "./notify";
import { liveTempCode, recordExpiredTempCodes, tempCodeHash, tempCodeSchema } from "./temp-codes";
import { completeWithFactor, failSecondFactor, reserveSecondFactorAttempt } from "./verify-login";

export const tempCodeLoginSchema = z.object({ code: tempCodeSchema });

export const TEMP_CODES_OFF =
  "Your organisation does not use temporary access codes. Use another way to sign in, or contact your administrator.";
export const WRONG_TEMP_CODE = "That temporary access code is not valid. Check it with your administrator.";
export const USED_TEMP_CODE = "This temporary access code was already used. Ask your administrator for a new one.";
export const REVOKED_TEMP_CODE = "This temporary access code was withdrawn by your administrator. Ask them for a new one.";
export const EXPIRED_TEMP_CODE = "This temporary access code has expired. Ask your administrator for a new one.";

export async function verifyTempCodeLogin(db: Db, challenge: LiveChallenge, input: z.infer<typeof tempCodeLoginSchema>, meta: RequestMeta) {
  const { user, org } = challenge;
  if (!org.tempCodesEnabled) throw new AppError("forbidden", TEMP_CODES_OFF);
  const attempt = await reserveSecondFactorAttempt(db, challenge);
  await db.transaction((tx) => recordExpiredTempCodes(tx, { userId: user.id }));
  const hash = tempCodeHash(input.code);
  const done = await completeWithFactor(db, challenge, "temp_code", meta, async (tx) => {
    const [code] = await tx
      .update(tempAccessCodes)
      .set({ endedAt: sql`now()`, endReason: "used" })
      .where(
        and(eq(tempAccessCodes.userId, user.id), eq(tempAccessCodes.orgId, user.orgId), eq(tempAccessCodes.codeHash, hash), liveTempCode()),
      )
      .returning();
    if (!code) return null;
    const removed = code.removeFactors ? await wipeMfa(tx, user.id, { keepChallengeId: challenge.challenge.id }) : null;
    const detail = { codeId: code.id, factorsRemoved: !!removed, ...(removed ?? {}) };
    await audit(tx, { orgId: user.orgId, event: "mfa.temp_code.used", actorUserId: user.id, targetUserId: user.id, detail, meta });
    return detail;
  });
  if (done) {
    const factorsRemoved = done.detail.factorsRemoved === true;
    await notifyUser({ ...user, org }, "temp-code-used", { factorsRemoved, at: new Date(), ip: meta.ip, userAgent: meta.userAgent });
    await alertAdmins(db, {
      kind: "temp-code-used",
      orgId: user.orgId,
      member: user,
      ref: String(done.detail.codeId),
      detail: { factorsRemoved, ip: meta.ip },
    });
    return { method: "temp_code" as const, factorsRemoved, session: done.session };
  }
  const [known] = await db
    .select({ endReason: tempAccessCodes.endReason })
    .from(tempAccessCodes)
    .where(and(eq(tempAccessCodes.userId, user.id), eq(tempAccessCodes.codeHash, hash)))
    .limit(1);
  const replies = { used: USED_TEMP_CODE, revoked: REVOKED_TEMP_CODE, expired: EXPIRED_TEMP_CODE };
  const reply = known?.endReason ? replies[known.endReason] : WRONG_TEMP_CODE;
  return failSecondFactor(db, challenge, "temp_code", attempt, meta, reply);
}
