/**
 * Setting up 2FA during login, when it is required and the user has no usable factor (S31): the user is
 * the one bound to the login challenge. Enrolling completes the challenge (the code just entered is the
 * second factor); during a grace period the user may skip instead. A user who already has a usable
 * factor can never enrol here: that would let a password alone add a factor and get in.
 */
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { completeChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import type { Db } from "@/lib/db/client";
import { loginChallenges } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import type { MfaActor } from "./actor";
import {
  confirmEmailEnrolment,
  startEmailEnrolment,
  type confirmEmailEnrolmentSchema,
  type startEmailEnrolmentSchema,
} from "./email-enrolment";
import { confirmTotpEnrolment, startTotpEnrolment, type confirmTotpSchema } from "./enrol-totp";
import { usableFactors } from "./factors";
import { mfaRequirement } from "./policy";

export function challengeActor(challenge: LiveChallenge): MfaActor {
  const { user, org } = challenge;
  return {
    id: user.id,
    orgId: user.orgId,
    email: user.email,
    name: user.name,
    role: user.role,
    mfaEnforced: user.mfaEnforced,
    mfaResetAt: user.mfaResetAt,
    org,
  };
}

/** Whether this login must (or may) enrol now, and whether skipping is still possible. */
export async function loginEnrolmentState(db: Db, challenge: LiveChallenge) {
  const requirement = mfaRequirement(challenge.org, challenge.user);
  const hasFactor = (await usableFactors(db, challenge.user, challenge.org)).length > 0;
  return {
    needed: requirement.required && !hasFactor && !challenge.challenge.completedAt,
    canSkip: requirement.canSkip,
    graceUntil: requirement.graceUntil,
  };
}

/** Refuses unless this login must (or may) enrol now: a password alone never adds a factor to an account that has one. */
export async function assertNeeded(db: Db, challenge: LiveChallenge) {
  const state = await loginEnrolmentState(db, challenge);
  if (!state.needed) throw new AppError("forbidden", "Two-factor setup is not needed for this sign-in. Please sign in again.");
  return state;
}

export async function startLoginTotpEnrolment(db: Db, challenge: LiveChallenge) {
  await assertNeeded(db, challenge);
  return startTotpEnrolment(db, challengeActor(challenge));
}

export async function confirmLoginTotpEnrolment(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof confirmTotpSchema>,
  meta: RequestMeta,
) {
  await assertNeeded(db, challenge);
  const result = await confirmTotpEnrolment(db, challengeActor(challenge), input, meta);
  if (!(await completeChallenge(db, challenge.challenge.id, "totp"))) {
    throw new AppError("conflict", "Your authenticator was added, but this sign-in expired. Please sign in again.");
  }
  return result;
}

export async function startLoginEmailEnrolment(db: Db, challenge: LiveChallenge, input: z.infer<typeof startEmailEnrolmentSchema>) {
  await assertNeeded(db, challenge);
  return startEmailEnrolment(db, challengeActor(challenge), input);
}

export async function confirmLoginEmailEnrolment(
  db: Db,
  challenge: LiveChallenge,
  input: z.infer<typeof confirmEmailEnrolmentSchema>,
  meta: RequestMeta,
) {
  await assertNeeded(db, challenge);
  const result = await confirmEmailEnrolment(db, challengeActor(challenge), input, meta);
  if (!(await completeChallenge(db, challenge.challenge.id, "email"))) {
    throw new AppError("conflict", "Email codes were set up, but this sign-in expired. Please sign in again.");
  }
  return result;
}

export async function skipLoginEnrolment(db: Db, challenge: LiveChallenge, meta: RequestMeta) {
  const state = await assertNeeded(db, challenge);
  if (!state.canSkip) throw new AppError("forbidden", "Two-factor authentication is now required: it can no longer be skipped.");
  await db.transaction(async (tx) => {
    if (!(await completeChallenge(tx, challenge.challenge.id, "password"))) {
      throw new AppError("conflict", "This sign-in has expired. Please sign in again.");
    }
    await tx.update(loginChallenges).set({ skippedEnrolment: true }).where(eq(loginChallenges.id, challenge.challenge.id));
    await audit(tx, {
      orgId: challenge.user.orgId,
      event: "mfa.enrolment.skipped",
      actorUserId: challenge.user.id,
      targetUserId: challenge.user.id,
      detail: { graceUntil: state.graceUntil?.toISOString() },
      meta,
    });
  });
}
