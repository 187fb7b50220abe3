"use server";
import { z } from "zod";
import { challengeAction } from "@/lib/action";
import { getDb } from "@/lib/db/client";
import { sendLoginEmailCode, sendLoginCodeSchema } from "@/lib/mfa/email-login";
import { passkeyLoginOptions } from "@/lib/mfa/passkey-login";

/**
 * Emails a sign-in code. mode "auto" (the email form opening) sends only if this login has no live code
 * yet; "resend" replaces it, after the 30-second cooldown (refused with the seconds left otherwise).
 * The codes themselves are checked by the login route (app/api/login/verify), which also starts the session.
 */
export const sendEmailCodeAction = challengeAction(sendLoginCodeSchema, async (input, { challenge }) => {
  const result = await sendLoginEmailCode(await getDb(), challenge, input);
  return { ok: true, data: result };
});

/** Options for the browser's security-key dialog: a fresh challenge bound to this login (5 minutes, single use). */
export const passkeyOptionsAction = challengeAction(z.object({}), async (_input, { challenge }) => {
  return { ok: true, data: { options: await passkeyLoginOptions(await getDb(), challenge) } };
});
