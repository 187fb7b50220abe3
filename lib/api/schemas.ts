/**
 * What the JSON API accepts and answers, as zod schemas. Requests are built from the web's own schemas
 * (loginSchema, the second-factor inputs, the shared fields of lib/validation.ts), so a field is checked the
 * same way in both; the OpenAPI document (lib/api/openapi.ts) is generated from these.
 */
import { z } from "zod";
import { loginSchema } from "@/lib/auth/login";
import { factorInputs } from "@/lib/auth/second-factor-step";
import { name } from "@/lib/validation";
import { API_METHODS } from "./methods";
import { PROBLEMS } from "./problem";

export const clientKinds = ["extension", "mobile", "cli"] as const;

/** The app signing in names itself: shown with its session in Security › Sessions and in the sign-in email. */
export const apiClientSchema = z.object(
  {
    name: name.meta({ description: "Shown to the user, e.g. “Guardian for Chrome”." }),
    kind: z.enum(clientKinds, { error: "Give the client's kind: extension, mobile or cli." }),
  },
  { error: "Name the client: { name, kind }." },
);

export const apiLoginSchema = loginSchema.extend({ client: apiClientSchema });

const challenge = z
  .string({ error: "Send the challenge from the login answer." })
  .min(1, "Send the challenge from the login answer.")
  .max(200, "That is not a challenge.")
  .meta({ description: "The `challenge` of the login answer (valid 10 minutes, single use)." });

// The web's second-factor step without "remember this browser" (it does not apply to an app), plus the
// challenge. Security keys are not offered to apps: the API has no WebAuthn options endpoint.
const { totp, email, recovery, temp_code: tempCode } = factorInputs;
export const apiMfaSchema = z.discriminatedUnion(
  "method",
  [
    totp.omit({ remember: true }).extend({ challenge }),
    email.omit({ remember: true }).extend({ challenge }),
    recovery.omit({ remember: true }).extend({ challenge }),
    tempCode.extend({ challenge }),
  ],
  { error: "Choose how to verify your sign-in." },
);

export const apiSendEmailSchema = z.object({ challenge });

export const apiRefreshSchema = z.object({
  refreshToken: z.string({ error: "Send the refresh token." }).min(1, "Send the refresh token.").max(200, "That is not a refresh token."),
});

export const emptySchema = z.object({});

// Answers (documented in OpenAPI; the integration tests parse real answers with them).

export const tokenPairSchema = z.object({
  tokenType: z.literal("Bearer"),
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.int().meta({ description: "Seconds the access token lives (900)." }),
  refreshExpiresIn: z.int().meta({ description: "Seconds the refresh token lives: 30 days at most, never past the session's expiry." }),
});

const method = z.enum(API_METHODS);

export const apiLoginAnswerSchema = z.union([
  z.object({
    next: z.literal("mfa"),
    challenge: z.string(),
    methods: z.array(method).meta({ description: "The second factors usable now." }),
    expiresIn: z.int(),
  }),
  tokenPairSchema.extend({ next: z.literal("done") }),
]);

export const apiSendEmailAnswerSchema = z.object({
  sent: z.boolean().meta({ description: "false: a code sent for this sign-in is still valid (never with the default resend)." }),
  maskedEmail: z.string(),
  resendInSeconds: z.int(),
});

export const meAnswerSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(["admin", "agent"]) }),
  organisation: z.object({ id: z.string(), name: z.string() }),
  twoFactor: z.object({
    enabled: z.boolean(),
    methods: z.array(method),
    required: z.boolean(),
    enrolBy: z.string().nullable(),
  }),
  session: z.object({ id: z.string(), client: z.object({ name: z.string(), kind: z.enum(clientKinds) }).nullable() }),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.enum(Object.keys(PROBLEMS) as [keyof typeof PROBLEMS, ...(keyof typeof PROBLEMS)[]]),
  retryAfter: z.int().optional(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
  methods: z.array(method).optional(),
  next: z.literal("enrol").optional(),
  enrolUrl: z.string().optional(),
});
