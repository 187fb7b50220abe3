import { apiSendEmailCode } from "@/lib/api/login";
import { publicApi } from "@/lib/api/route";
import { apiSendEmailSchema } from "@/lib/api/schemas";

/** Emails a sign-in code for a challenge (the web's cooldown applies). */
export const POST = publicApi(apiSendEmailSchema, (input, { db }) => apiSendEmailCode(db, input));
