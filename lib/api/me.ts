/** GET /api/v1/me: who the token belongs to, their organisation and role, and their 2FA status now. */
import type { Db } from "@/lib/db/client";
import { mfaRequirement } from "@/lib/mfa/policy";
import { loginMethods } from "./methods";
import type { ApiPrincipal } from "./tokens";

export async function apiMe(db: Db, principal: ApiPrincipal) {
  const methods = (await loginMethods(db, principal.id)).filter((m) => m === "totp" || m === "email");
  return {
    user: { id: principal.id, email: principal.email, name: principal.name, role: principal.role },
    organisation: { id: principal.org.id, name: principal.org.name },
    twoFactor: {
      enabled: methods.length > 0,
      methods,
      required: mfaRequirement(principal.org, principal).required,
      enrolBy: principal.enrolBy?.toISOString() ?? null,
    },
    session: { id: principal.sessionId, client: principal.client },
  };
}
