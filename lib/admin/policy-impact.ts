/**
 * Who a policy change affects, computed from a summary of the members' confirmed factor types. Pure
 * (no server imports): the settings form shows it live and updatePolicy uses it for its guardrails.
 */
import type { FactorType } from "@/lib/db/schema";
import { allowedMethods, formatGraceDay, type PolicyOrg } from "@/lib/mfa/policy";

export type MemberFactors = { name: string; email: string; types: FactorType[] };
export type PolicyDraft = { allowTotp: boolean; allowEmail: boolean; require2fa: boolean; graceDay: string | null };

export const METHOD_LABEL: Record<FactorType, string> = { totp: "Authenticator app", email: "Email codes" };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function usable(member: MemberFactors, org: Pick<PolicyOrg, "allowTotp" | "allowEmail">) {
  const allowed = allowedMethods({ ...org, require2fa: false, graceUntil: null });
  return member.types.some((t) => allowed.includes(t));
}

export function policyImpact(
  members: MemberFactors[],
  current: Pick<PolicyOrg, "allowTotp" | "allowEmail">,
  draft: PolicyDraft,
  now = new Date(),
  /** How the grace day is written (the reader's locale, lib/locale.ts). */
  locale?: string,
) {
  const without2fa = members.filter((m) => !usable(m, draft));
  /** Members who have 2FA now and would have none: they rely on a method being turned off. */
  const losing = members.filter((m) => usable(m, current) && !usable(m, draft));
  const turnedOff: FactorType[] = [];
  if (current.allowTotp && !draft.allowTotp) turnedOff.push("totp");
  if (current.allowEmail && !draft.allowEmail) turnedOff.push("email");

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
  if (losing.length > 0 && turnedOff.length > 0) {
    const methods = turnedOff.map((t) => METHOD_LABEL[t].toLowerCase()).join(" and ");
    lossWarning = `${plural(losing.length, "member relies", "members rely")} on ${methods} for 2FA. Turning it off means they count as having no 2FA until they set up another method.`;
  }
  return { without2fa, losing, turnedOff, summary, lossWarning };
}
