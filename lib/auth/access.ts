/**
 * What a signed-in session may reach under the organisation's policy *now* (S31): computed on every
 * request from the current organisation row, the user and their usable factors, never remembered from
 * how the session began. A session opened by skipping setup during the grace period, or by a member
 * whose only method was later turned off, gets enrolment only from the request after the change.
 */
import type { Executor } from "@/lib/db/client";
import { usableFactors } from "@/lib/mfa/factors";
import { mfaRequirement } from "@/lib/mfa/policy";
import type { CurrentUser } from "./sessions";

export type MfaAccess = {
  /** 2FA is required for this user, the grace period (if any) is over, and they have no usable factor. */
  mustEnrol: boolean;
  /** During a grace period, without 2FA: the instant the grace period ends (for the banner). */
  enrolBy: Date | null;
};

export async function mfaAccess(
  db: Executor,
  user: Pick<CurrentUser, "id" | "role" | "mfaEnforced" | "mfaResetAt" | "org">,
  now = new Date(),
): Promise<MfaAccess> {
  const requirement = mfaRequirement(user.org, user, now);
  const without2fa = requirement.required && (await usableFactors(db, user, user.org)).length === 0;
  return { mustEnrol: without2fa && !requirement.canSkip, enrolBy: without2fa && requirement.canSkip ? requirement.graceUntil : null };
}
