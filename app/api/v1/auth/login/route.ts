import { apiLogin } from "@/lib/api/login";
import { publicApi } from "@/lib/api/route";
import { apiLoginSchema } from "@/lib/api/schemas";

/** Email and password: a challenge for the second factor, or the tokens when none is needed (lib/api/login.ts). */
export const POST = publicApi(apiLoginSchema, (input, { db, meta }) => apiLogin(db, input, meta));
