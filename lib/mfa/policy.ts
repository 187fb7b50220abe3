/**
 * "Is 2FA required for this user, and may they skip it now?" — computed here and nowhere else.
 * Required when an admin enforced it on the member (or reset everyone's 2FA: no grace for them until they
 * enrol again), or the organisation requires it for everyone.
 * Skipping is possible only for an organisation-wide requirement, before the grace period ends.
 */
import type { FactorType, Role } from "@/lib/db/schema";
import { DEFAULT_LOCALE } from "@/lib/locale";

export type PolicyOrg = {
  require2fa: boolean;
  graceUntil: Date | null;
  allowTotp: boolean;
  allowEmail: boolean;
  allowWebauthn: boolean;
  /** Admins may use only these (within the allowed methods); null: the same as everyone. */
  adminMethods: FactorType[] | null;
};
/** The organisation's method settings, without the requirement (what policy-impact and the settings form pass around). */
export type MethodSettings = Pick<PolicyOrg, "allowTotp" | "allowEmail" | "allowWebauthn" | "adminMethods">;
/** `mfaResetAt`: "Require everyone to set up 2FA again" removed their factors; required, no grace, until they enrol. */
export type PolicyUser = { mfaEnforced: boolean; mfaResetAt?: Date | null };

export type MfaRequirement = {
  required: boolean;
  /** The member may still skip setup (organisation requirement, grace period not over). */
  canSkip: boolean;
  graceUntil: Date | null;
};

export function mfaRequirement(org: Pick<PolicyOrg, "require2fa" | "graceUntil">, user: PolicyUser, now = new Date()): MfaRequirement {
  if (user.mfaEnforced || user.mfaResetAt) return { required: true, canSkip: false, graceUntil: null };
  if (!org.require2fa) return { required: false, canSkip: false, graceUntil: null };
  const inGrace = !!org.graceUntil && now.getTime() < org.graceUntil.getTime();
  return { required: true, canSkip: inGrace, graceUntil: inGrace ? org.graceUntil : null };
}

/**
 * Grace period dates. The admin picks a last day D (YYYY-MM-DD): members may skip through the end of D
 * in UTC, so graceUntil = D+1 00:00 UTC, and `lastGraceDay(graceUntil)` gives D back for display.
 */
export function graceUntilFromLastDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const date = new Date(Date.UTC(y, mo, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo || date.getUTCDate() !== d) return null;
  return new Date(Date.UTC(y, mo, d + 1));
}

/** The last day members may skip (YYYY-MM-DD, UTC) for a stored graceUntil. */
export function lastGraceDay(graceUntil: Date): string {
  return new Date(graceUntil.getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/**
 * A YYYY-MM-DD day as the reader's locale writes it ("1 Dec" in en-GB, "Dec 1" in en-US), with the
 * year only outside the current one. `locale`: the browser's (lib/locale.ts); en-GB by default.
 */
export function formatGraceDay(day: string, now = new Date(), locale = DEFAULT_LOCALE): string {
  const date = new Date(`${day}T00:00:00Z`);
  const sameYear = date.getUTCFullYear() === now.getUTCFullYear();
  return date.toLocaleDateString(locale, { day: "numeric", month: "short", year: sameYear ? undefined : "numeric", timeZone: "UTC" });
}

export const METHOD_LABEL: Record<FactorType, string> = {
  webauthn: "Security key or passkey",
  totp: "Authenticator app",
  email: "Email codes",
};

/** Strongest first: the order methods are listed and offered in. */
export const METHOD_ORDER: readonly FactorType[] = ["webauthn", "totp", "email"];

/** The methods the organisation allows to anyone (the policy's three checkboxes). */
export function orgMethods(org: MethodSettings): FactorType[] {
  const on: Record<FactorType, boolean> = { webauthn: org.allowWebauthn, totp: org.allowTotp, email: org.allowEmail };
  return METHOD_ORDER.filter((m) => on[m]);
}

/**
 * "Is method M allowed for this user (role) in this organisation?" — decided here and nowhere else. A
 * method is allowed when the organisation allows it and, for admins, when the admins' list (if any)
 * names it. Factors of a method that is not allowed stop counting everywhere (usableFactors).
 */
export function isMethodAllowed(org: MethodSettings, type: FactorType, role: Role) {
  if (!orgMethods(org).includes(type)) return false;
  return role !== "admin" || !org.adminMethods || org.adminMethods.includes(type);
}

/** Every method allowed for a user of `role`, strongest first. */
export function allowedMethods(org: MethodSettings, role: Role): FactorType[] {
  return METHOD_ORDER.filter((m) => isMethodAllowed(org, m, role));
}

/**
 * Days left in a grace period, counted so that they agree with its last day (`lastGraceDay`): 0 on the
 * last day itself ("today is the last day"), 1 the day before, 7 on 25 Nov when the last day is 2 Dec.
 * Calendar days in UTC, like the grace period itself; never negative.
 */
export function graceDaysLeft(graceUntil: Date, now = new Date()): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.max(0, Math.round((graceUntil.getTime() - today) / 86_400_000) - 1);
}
