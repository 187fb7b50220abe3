import { challengeRoute } from "@/lib/action";
import { readDeviceCookie, setRememberedDeviceCookie, startSession } from "@/lib/auth/challenge-cookie";
import { afterSignIn } from "@/lib/auth/open-session";
import { secondFactorSchema, verifySecondFactor, type SecondFactorData } from "@/lib/auth/second-factor-step";
import { getDb } from "@/lib/db/client";

/**
 * Step 2 of login: the second factor. When it passes, this same response carries the session (no
 * further request): the challenge is consumed and the session row written in the statement that
 * accepted the code.
 */
export const POST = challengeRoute(secondFactorSchema, async (input, { challenge, meta }) => {
  const result = await verifySecondFactor(await getDb(), challenge, input, meta);
  await startSession(await afterSignIn(result.session, await readDeviceCookie(), meta));
  if (result.rememberedDevice) await setRememberedDeviceCookie(result.rememberedDevice.token, result.rememberedDevice.expiresAt);
  return { ok: true, data: result.data satisfies SecondFactorData };
});
