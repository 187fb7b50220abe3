/**
 * The API's OpenAPI 3.1 document, generated from the zod schemas the routes parse with (z.toJSONSchema,
 * input side for requests, output side for answers). `API_OPERATIONS` is the list of routes: the test
 * tests/integration/api-openapi.test.ts checks it against the route files under app/api/v1 and the
 * schemas against what the routes accept.
 */
import { z } from "zod";
import { PROBLEMS, type ProblemCode } from "./problem";
import {
  apiLoginAnswerSchema,
  apiLoginSchema,
  apiMfaSchema,
  apiRefreshSchema,
  apiSendEmailAnswerSchema,
  apiSendEmailSchema,
  meAnswerSchema,
  problemSchema,
  tokenPairSchema,
} from "./schemas";
import { ACCESS_TOKEN_SECONDS } from "./tokens";

export type ApiOperation = {
  method: "get" | "post";
  path: string;
  summary: string;
  bearer?: boolean;
  request?: z.ZodType;
  /** The success answer: a schema, or null for 204 No Content. */
  answer: z.ZodType | null;
  problems: ProblemCode[];
};

const common: ProblemCode[] = ["validation", "unsupported_media_type", "internal", "unavailable"];
const bearer: ProblemCode[] = ["invalid_token", "internal", "unavailable"];

export const API_OPERATIONS: ApiOperation[] = [
  {
    method: "post",
    path: "/api/v1/auth/login",
    summary: "Email and password. Answers the challenge and the usable second factors, or tokens when none is needed.",
    request: apiLoginSchema,
    answer: apiLoginAnswerSchema,
    problems: [...common, "invalid_credentials", "locked", "rate_limited", "enrolment_required"],
  },
  {
    method: "post",
    path: "/api/v1/auth/mfa",
    summary: "The second factor for a challenge: an authenticator code, an emailed code, a recovery code or an admin's temporary code.",
    request: apiMfaSchema,
    answer: tokenPairSchema,
    problems: [
      ...common,
      "challenge_expired",
      "invalid_code",
      "code_already_used",
      "mfa_required",
      "enrolment_required",
      "locked",
      "conflict",
    ],
  },
  {
    method: "post",
    path: "/api/v1/auth/mfa/email",
    summary: "Emails a sign-in code for a challenge (30-second cooldown between codes).",
    request: apiSendEmailSchema,
    answer: apiSendEmailAnswerSchema,
    problems: [...common, "challenge_expired", "mfa_required", "locked", "rate_limited"],
  },
  {
    method: "post",
    path: "/api/v1/auth/refresh",
    summary: "A new token pair for a refresh token (single use: presenting a used one again ends the session).",
    request: apiRefreshSchema,
    answer: tokenPairSchema,
    problems: [...common, "invalid_token", "refresh_token_reused"],
  },
  {
    method: "post",
    path: "/api/v1/auth/logout",
    summary: "Ends the access token's session and every token of it.",
    bearer: true,
    answer: null,
    problems: bearer,
  },
  {
    method: "get",
    path: "/api/v1/me",
    summary: "The token's user, organisation, role and two-factor status.",
    bearer: true,
    answer: meAnswerSchema,
    problems: [...bearer, "enrolment_required"],
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document.",
    answer: z.record(z.string(), z.unknown()),
    problems: [],
  },
];

const jsonSchema = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const problemResponse = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };

function operation(op: ApiOperation) {
  const responses: Record<string, unknown> = {
    [op.answer ? "200" : "204"]: {
      description: "Success",
      ...(op.answer ? { content: { "application/json": { schema: jsonSchema(op.answer, "output") } } } : {}),
    },
  };
  for (const code of op.problems) {
    const status = String(PROBLEMS[code].status);
    const existing = responses[status] as { description: string } | undefined;
    responses[status] = { description: existing ? `${existing.description}; ${code}` : code, content: problemResponse };
  }
  return {
    summary: op.summary,
    ...(op.bearer ? { security: [{ bearer: [] }] } : {}),
    ...(op.request
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.request, "input") } } } }
      : {}),
    responses,
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Guardian API",
      version: "1",
      description:
        `Sign in with email, password and the second factor under the organisation's rules; then call the API with ` +
        `Authorization: Bearer <accessToken> (${ACCESS_TOKEN_SECONDS / 60} minutes), and renew it with the refresh token. ` +
        `Errors are RFC 9457 problem details with a stable \`code\`. No cookies, no CORS.`,
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An access token from /api/v1/auth/login or /mfa." } },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
    },
  };
}
