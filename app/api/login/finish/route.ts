import { z } from "zod";
import { publicRoute } from "@/lib/action";
import { readChallengeToken, readDeviceCookie, startSession } from "@/lib/auth/challenge-cookie";
import { FINISH_ERROR_STATE } from "@/lib/auth/finish-error";
import { openSession } from "@/lib/auth/open-session";
import { getDb } from "@/lib/db/client";

/**
 * The end of a login whose last step completed its challenge in an earlier request (enrolment at login,
 * "skip for now"): the completed challenge (httpOnly cookie) becomes the session, once.
 */
export const POST = publicRoute(z.object({}), async (_input, { meta }) => {
  const signedIn = await openSession(await getDb(), {
    challengeToken: await readChallengeToken(),
    deviceCookie: await readDeviceCookie(),
    meta,
  });
  if (!signedIn) return FINISH_ERROR_STATE;
  await startSession(signedIn);
  return { ok: true };
});
