import { apiMe } from "@/lib/api/me";
import { authedApi } from "@/lib/api/route";

/** The token's user, organisation, role and 2FA status. */
export const GET = authedApi(null, (_input, { db, principal }) => apiMe(db, principal));
