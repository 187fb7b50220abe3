import { publicRoute } from "@/lib/action";
import { readDeviceCookie, readRememberedDeviceToken, setChallengeCookie, startSession } from "@/lib/auth/challenge-cookie";
import { FINISH_ERROR_STATE } from "@/lib/auth/finish-error";
import { loginSchema, passwordStep, type NextStep } from "@/lib/auth/login";
import { openSession } from "@/lib/auth/open-session";
import { getDb } from "@/lib/db/client";

/**
 * Step 1 of login. Answers what comes next; the challenge token goes only into an httpOnly cookie.
 * When nothing else is needed (no second factor, or a remembered browser) the session starts in this
 * same response.
 */
export const POST = publicRoute<typeof loginSchema, { next: NextStep }>(loginSchema, async (input, { meta }) => {
  const db = await getDb();
  const browser = { rememberedDevice: await readRememberedDeviceToken(), device: await readDeviceCookie() };
  const { token, next } = await passwordStep(db, input, meta, browser);
  if (next !== "done") {
    await setChallengeCookie(token);
    return { ok: true, data: { next } };
  }
  const signedIn = await openSession(db, { challengeToken: token, deviceCookie: browser.device, meta });
  if (!signedIn) return FINISH_ERROR_STATE;
  await startSession(signedIn);
  return { ok: true, data: { next } };
});
