/**
 * "Is 2FA required for this user, and may they skip it now?" — computed here and nowhere else.
 * Required when an admin enforced it on the member, or the organisation requires it for everyone.
 * Skipping is possible only for an organisation-wide requirement, before the grace period ends.
 */
import type { FactorType } from "@/lib/db/schema";

export type PolicyOrg = { require2fa: boolean; graceUntil: Date | null; allowTotp: boolean; allowEmail: boolean };
export type PolicyUser = { mfaEnforced: boolean };

export type MfaRequirement = {
  required: boolean;
  /** The member may still skip setup (organisation requirement, grace period not over). */
  canSkip: boolean;
  graceUntil: Date | null;
};

export function mfaRequirement(org: PolicyOrg, user: PolicyUser, now = new Date()): MfaRequirement {
  if (user.mfaEnforced) return { required: true, canSkip: false, graceUntil: null };
  if (!org.require2fa) return { required: false, canSkip: false, graceUntil: null };
  const inGrace = !!org.graceUntil && now.getTime() < org.graceUntil.getTime();
  return { required: true, canSkip: inGrace, graceUntil: inGrace ? org.graceUntil : null };
}

export function allowedMethods(org: PolicyOrg): FactorType[] {
  const methods: FactorType[] = [];
  if (org.allowTotp) methods.push("totp");
  if (org.allowEmail) methods.push("email");
  return methods;
}

export function isMethodAllowed(org: PolicyOrg, type: FactorType) {
  return allowedMethods(org).includes(type);
}
