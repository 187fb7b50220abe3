/**
 * The second factors a login can use right now, for the API's answers: the user's confirmed factors of
 * the methods the organisation allows, recovery codes while any is unused, and a temporary access code
 * while the admin's code is live (and the organisation uses them). One statement.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "@/lib/db/client";

export const API_METHODS = ["totp", "email", "recovery", "temp_code"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export async function loginMethods(db: Executor, userId: string): Promise<ApiMethod[]> {
  const [row] = await rowsOf<Record<ApiMethod, boolean>>(
    db,
    sql`SELECT
        o.allow_totp AND EXISTS (SELECT 1 FROM mfa_factors f WHERE f.user_id = u.id AND f.type = 'totp' AND f.confirmed_at IS NOT NULL) AS totp,
        o.allow_email AND EXISTS (SELECT 1 FROM mfa_factors f WHERE f.user_id = u.id AND f.type = 'email' AND f.confirmed_at IS NOT NULL) AS email,
        EXISTS (SELECT 1 FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS recovery,
        o.temp_codes_enabled AND EXISTS (SELECT 1 FROM temp_access_codes t
          WHERE t.user_id = u.id AND t.ended_at IS NULL AND t.expires_at > now()) AS temp_code
      FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = ${userId}`,
  );
  return row ? API_METHODS.filter((m) => row[m] === true || String(row[m]) === "t") : [];
}
