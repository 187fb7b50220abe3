"use server";
import { publicAction } from "@/lib/action";
import { readDeviceCookie, readRememberedDeviceToken, setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { loginSchema, passwordStep, type NextStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";

/** Step 1 of login. Answers what comes next; the challenge token goes only into an httpOnly cookie. */
export const submitPassword = publicAction(loginSchema, async (input, { meta }) => {
  const browser = { rememberedDevice: await readRememberedDeviceToken(), device: await readDeviceCookie() };
  const { token, next } = await passwordStep(await getDb(), input, meta, browser);
  await setChallengeCookie(token);
  return { ok: true, data: { next } satisfies { next: NextStep } };
});
