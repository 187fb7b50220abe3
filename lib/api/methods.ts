/**
 * The second factors a login can use right now, for the API's answers: the user's confirmed factors of
 * the methods their role may use (security keys are not offered to apps: no WebAuthn over the API), recovery codes while any is unused, and a temporary access code
 * while the admin's code is live (and the organisation uses them). One statement.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "@/lib/db/client";
import type { Role } from "@/lib/db/schema";
import { allowedMethods, type MethodSettings } from "@/lib/mfa/policy";

export const API_METHODS = ["totp", "email", "recovery", "temp_code"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export async function loginMethods(db: Executor, userId: string): Promise<ApiMethod[]> {
  const [row] = await rowsOf<{
    role: Role;
    allow_totp: boolean;
    allow_email: boolean;
    allow_webauthn: boolean;
    admin_methods: string[] | string | null;
    factor_types: string | null;
    recovery: boolean;
    temp_code: boolean;
  }>(
    db,
    sql`SELECT u.role, o.allow_totp, o.allow_email, o.allow_webauthn, o.admin_methods,
        (SELECT string_agg(DISTINCT f.type, ',') FROM mfa_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) AS factor_types,
        EXISTS (SELECT 1 FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS recovery,
        o.temp_codes_enabled AND EXISTS (SELECT 1 FROM temp_access_codes t
          WHERE t.user_id = u.id AND t.ended_at IS NULL AND t.expires_at > now()) AS temp_code
      FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = ${userId}`,
  );
  if (!row) return [];
  // The methods this user's role may use (lib/mfa/policy.ts), as the web's 2FA step decides them.
  // null: admins use the organisation's methods like everyone.
  const adminMethods =
    row.admin_methods == null ? null : Array.isArray(row.admin_methods) ? row.admin_methods : parseArray(row.admin_methods);
  const org = { allowTotp: row.allow_totp, allowEmail: row.allow_email, allowWebauthn: row.allow_webauthn, adminMethods } as MethodSettings;
  const allowed = allowedMethods(org, row.role);
  const types = (row.factor_types ?? "").split(",");
  const methods: ApiMethod[] = [];
  for (const m of ["totp", "email"] as const) if (allowed.includes(m) && types.includes(m)) methods.push(m);
  if (row.recovery === true) methods.push("recovery");
  if (row.temp_code === true) methods.push("temp_code");
  return methods;
}

/** A text[] the driver left as its literal ("{totp,webauthn}"). */
const parseArray = (v: string) =>
  v
    ? v
        .replace(/^\{|\}$/g, "")
        .split(",")
        .filter(Boolean)
    : [];
