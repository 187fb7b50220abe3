"use server";
import { publicAction } from "@/lib/action";
import { setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { createChallenge } from "@/lib/auth/challenge";
import { getDb } from "@/lib/db/client";
import { signUp, signupSchema } from "@/lib/orgs/signup";

/** Creates the organisation and its admin, then a completed login challenge (a new account has no 2FA yet). */
export const createOrganization = publicAction(signupSchema, async (input, { meta }) => {
  const db = await getDb();
  const { user } = await signUp(db, input, meta);
  const { token } = await createChallenge(db, { userId: user.id, orgId: user.orgId, completedMethod: "password", meta });
  await setChallengeCookie(token);
  return { ok: true };
});
