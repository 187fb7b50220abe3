/**
 * Who a policy change affects, computed from a summary of the members' confirmed factor types and
 * roles. Pure (no server imports): the settings form shows it live and updatePolicy uses it for its
 * guardrails. A member "has 2FA" when one of their factors is of a method allowed for their role
 * (lib/mfa/policy.ts isMethodAllowed), so restricting admins' methods counts like turning one off.
 */
import type { FactorType, Role } from "@/lib/db/schema";
import {
  METHOD_LABEL,
  METHOD_ORDER,
  allowedMethods,
  formatGraceDay,
  isMethodAllowed,
  orgMethods,
  type MethodSettings,
} from "@/lib/mfa/policy";

export { METHOD_LABEL };

/** A member's confirmed factor types (every method, allowed or not); no role means an agent. */
export type MemberFactors = { name: string; email: string; types: FactorType[]; role?: Role };
/** Method settings as a form or a test gives them: a method or list not mentioned is off / not set. */
export type MethodDraft = Pick<MethodSettings, "allowTotp" | "allowEmail"> &
  Partial<Pick<MethodSettings, "allowWebauthn" | "adminMethods">>;
export type PolicyDraft = MethodDraft & { require2fa: boolean; graceDay: string | null };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const settings = (d: MethodDraft): MethodSettings => ({
  allowTotp: d.allowTotp,
  allowEmail: d.allowEmail,
  allowWebauthn: d.allowWebauthn ?? false,
  adminMethods: d.adminMethods ?? null,
});

function usable(member: MemberFactors, org: MethodSettings) {
  const allowed = allowedMethods(org, member.role ?? "agent");
  return member.types.some((t) => allowed.includes(t));
}

export function policyImpact(
  members: MemberFactors[],
  currentDraft: MethodDraft,
  draft: PolicyDraft,
  now = new Date(),
  /** How the grace day is written (the reader's locale, lib/locale.ts). */
  locale?: string,
) {
  const current = settings(currentDraft);
  const next = settings(draft);
  const without2fa = members.filter((m) => !usable(m, next));
  /** Members who have 2FA now and would have none: they rely on a method being turned off (for them). */
  const losing = members.filter((m) => usable(m, current) && !usable(m, next));
  const turnedOff: FactorType[] = METHOD_ORDER.filter((t) => orgMethods(current).includes(t) && !orgMethods(next).includes(t));
  /** Still allowed in the organisation, but no longer for admins. */
  const closedToAdmins: FactorType[] = METHOD_ORDER.filter(
    (t) => !turnedOff.includes(t) && isMethodAllowed(current, t, "admin") && !isMethodAllowed(next, t, "admin"),
  );

  let summary: string;
  const n = without2fa.length;
  const who = `${plural(n, "member has", "members have")} not set up 2FA`;
  if (!draft.require2fa) {
    summary = n === 0 ? "Everyone has set up 2FA." : `2FA stays optional; ${who}.`;
  } else if (n === 0) {
    summary = "Everyone has set up 2FA already: nobody will be interrupted.";
  } else if (draft.graceDay) {
    summary = `${who}; they will be asked at their next login, after ${formatGraceDay(draft.graceDay, now, locale)} they cannot skip.`;
  } else {
    summary = `${who}; they must set it up at their next login before they can continue.`;
  }

  let lossWarning: string | null = null;
  if (losing.length > 0 && (turnedOff.length > 0 || closedToAdmins.length > 0)) {
    const names = (ts: FactorType[]) => ts.map((t) => METHOD_LABEL[t].toLowerCase()).join(" and ");
    const what = [
      turnedOff.length ? names(turnedOff) : "",
      closedToAdmins.length ? `${names(closedToAdmins)} (no longer allowed for admins)` : "",
    ]
      .filter(Boolean)
      .join(", and on ");
    lossWarning = `${plural(losing.length, "member relies", "members rely")} on ${what} for 2FA. Turning it off means they count as having no 2FA until they set up another method.`;
  }
  return { without2fa, losing, turnedOff, closedToAdmins, summary, lossWarning };
}
