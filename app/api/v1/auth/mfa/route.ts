import { apiVerify } from "@/lib/api/login";
import { publicApi } from "@/lib/api/route";
import { apiMfaSchema } from "@/lib/api/schemas";

/** The second factor for a challenge: the tokens (lib/api/login.ts). */
export const POST = publicApi(apiMfaSchema, (input, { db, meta }) => apiVerify(db, input, meta));
