import type { FactorType } from "@/lib/db/schema";
import { METHOD_ORDER } from "@/lib/mfa/policy";

/**
 * The policy form as it was, carried through "Set up my 2FA now" and back in the URL
 * (/admin/settings?draft=1&allowTotp=on&…): nothing is saved on the way, and nothing secret is in it.
 */
export type PolicyDraftValues = {
  allowTotp: boolean;
  allowEmail: boolean;
  allowWebauthn?: boolean;
  /** undefined: not in the draft; null: the same methods as everyone. */
  adminMethods?: FactorType[] | null;
  require2fa: boolean;
  graceDay: string | null;
  rememberDeviceDays?: number;
  tempCodesEnabled?: boolean;
  tempCodeMaxHours?: number;
};

function adminDraft(value: string | string[] | undefined): FactorType[] | null | undefined {
  if (typeof value !== "string") return undefined;
  if (value === "") return null;
  if (value === "none") return [];
  const list = value.split(",");
  return METHOD_ORDER.filter((m) => list.includes(m));
}

/** The settings page URL that brings this form back: every named field of the form, as submitted. */
export function draftHref(form: HTMLFormElement) {
  const query = new URLSearchParams({ draft: "1" });
  for (const [key, value] of new FormData(form)) if (typeof value === "string" && value.length <= 100) query.append(key, value);
  return `/admin/settings?${query}`;
}

/** The draft from the query (only well-formed values), or null when the page was opened normally. */
export function parseDraft(params: Record<string, string | string[] | undefined>): PolicyDraftValues | null {
  if (params.draft !== "1") return null;
  const on = (key: string) => params[key] === "on";
  const day = typeof params.graceDay === "string" && /^\d{4}-\d{2}-\d{2}$/.test(params.graceDay) ? params.graceDay : null;
  const days =
    typeof params.rememberDeviceDays === "string" && /^\d{1,3}$/.test(params.rememberDeviceDays)
      ? Number(params.rememberDeviceDays)
      : undefined;
  // The form sends "false" before the box, and "on" after it when ticked.
  const temp = params.tempCodesEnabled;
  const hours =
    typeof params.tempCodeMaxHours === "string" && /^\d{1,2}$/.test(params.tempCodeMaxHours) ? Number(params.tempCodeMaxHours) : undefined;
  return {
    tempCodesEnabled: temp === undefined ? undefined : Array.isArray(temp) ? temp.includes("on") : temp === "on",
    tempCodeMaxHours: hours !== undefined && hours >= 1 && hours <= 24 ? hours : undefined,
    allowTotp: on("allowTotp"),
    allowEmail: on("allowEmail"),
    allowWebauthn: on("allowWebauthn"),
    adminMethods: adminDraft(params.adminMethods),
    require2fa: on("require2fa"),
    graceDay: day,
    rememberDeviceDays: days !== undefined && days <= 365 ? days : undefined,
  };
}
