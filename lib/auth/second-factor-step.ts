/**
 * The second step of login, whichever method the user picked: one schema (the method names which code
 * it is) and one dispatch. Each method reserves its attempt in the shared budget, checks the code and,
 * in the same statement or transaction, completes the challenge and opens the session
 * (lib/mfa/verify-login.ts). Used by the browser's login route (app/api/login/verify).
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { emailLoginSchema, verifyEmailLogin } from "@/lib/mfa/email-login";
import { passkeyLoginSchema, verifyPasskeyLogin } from "@/lib/mfa/passkey-login";
import { tempCodeLoginSchema, verifyTempCodeLogin } from "@/lib/mfa/temp-code-login";
import { recoveryLoginSchema, totpLoginSchema, verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";
import type { RememberedBrowser } from "@/lib/mfa/verify-login";
import type { RequestMeta } from "@/lib/request-context";
import { checkbox } from "@/lib/validation";
import type { LiveChallenge } from "./challenge";
import type { OpenedRow } from "./session-sql";

/** "Don't ask again on this browser": honoured only after the second factor has passed. */
const remember = { remember: checkbox };

/** Each method's input, by name (the JSON API picks the ones an app can use). */
export const factorInputs = {
  totp: totpLoginSchema.extend({ method: z.literal("totp"), ...remember }),
  email: emailLoginSchema.extend({ method: z.literal("email"), ...remember }),
  recovery: recoveryLoginSchema.extend({ method: z.literal("recovery"), ...remember }),
  // A security key's or passkey's answer (navigator.credentials.get, as JSON text).
  webauthn: passkeyLoginSchema.extend({ method: z.literal("webauthn"), ...remember }),
  // A temporary access code from the admin: no "remember this browser" with it.
  temp_code: tempCodeLoginSchema.extend({ method: z.literal("temp_code") }),
};

export const secondFactorSchema = z.discriminatedUnion(
  "method",
  [factorInputs.totp, factorInputs.email, factorInputs.recovery, factorInputs.webauthn, factorInputs.temp_code],
  { error: "Choose how to verify your sign-in." },
);

export type SecondFactorInput = z.output<typeof secondFactorSchema>;

/** What the screen shows after the step (the session itself travels in cookies). */
export type SecondFactorData = { remaining?: number; low?: boolean; factorsRemoved?: boolean };

export async function verifySecondFactor(
  db: Db,
  challenge: LiveChallenge,
  input: SecondFactorInput,
  meta: RequestMeta,
): Promise<{ session: OpenedRow; rememberedDevice: RememberedBrowser | null; data: SecondFactorData }> {
  switch (input.method) {
    case "totp":
      return { ...(await verifyTotpLogin(db, challenge, input, meta, { remember: input.remember })), data: {} };
    case "email":
      return { ...(await verifyEmailLogin(db, challenge, input, meta, { remember: input.remember })), data: {} };
    case "webauthn":
      return { ...(await verifyPasskeyLogin(db, challenge, input, meta, { remember: input.remember })), data: {} };
    case "recovery": {
      const result = await verifyRecoveryLogin(db, challenge, input, meta, { remember: input.remember });
      return { session: result.session, rememberedDevice: result.rememberedDevice, data: { remaining: result.remaining, low: result.low } };
    }
    case "temp_code": {
      const result = await verifyTempCodeLogin(db, challenge, input, meta);
      return { session: result.session, rememberedDevice: null, data: { factorsRemoved: result.factorsRemoved } };
    }
  }
}
