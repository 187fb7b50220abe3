import { publicApi } from "@/lib/api/route";
import { apiRefreshSchema } from "@/lib/api/schemas";
import { refreshTokens } from "@/lib/api/tokens";

/** A new token pair for a refresh token; a reused one ends the session (lib/api/tokens.ts). */
export const POST = publicApi(apiRefreshSchema, (input, { db, meta }) => refreshTokens(db, input.refreshToken, meta));
