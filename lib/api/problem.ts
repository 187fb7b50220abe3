/**
 * The JSON API's errors: RFC 9457 problem details (`application/problem+json`). Each has a stable `code`
 * (and `type`, the same code as a URN) that clients branch on; `detail` is the same safe sentence the web
 * shows. Never a stack trace, never what the client sent back. AppErrors from the use cases map here by
 * their code and reason (lib/errors.ts), so the rules stay in one place.
 */
import { isDatabaseUnavailable } from "@/lib/db/client";
import { AppError, UNAVAILABLE_MESSAGE } from "@/lib/errors";

export const PROBLEMS = {
  validation: { status: 400, title: "The request is not valid" },
  invalid_credentials: { status: 401, title: "Incorrect email or password" },
  invalid_code: { status: 401, title: "The code is not valid" },
  challenge_expired: { status: 401, title: "The sign-in has expired or was completed" },
  invalid_token: { status: 401, title: "The token is not valid" },
  refresh_token_reused: { status: 401, title: "A refresh token was used twice: the session has ended" },
  mfa_required: { status: 403, title: "This sign-in needs another second factor" },
  enrolment_required: { status: 403, title: "Set up two-factor authentication in the browser first" },
  forbidden: { status: 403, title: "Not allowed" },
  not_found: { status: 404, title: "Not found" },
  code_already_used: { status: 409, title: "The code was already used" },
  conflict: { status: 409, title: "Conflict" },
  unsupported_media_type: { status: 415, title: "Send JSON (Content-Type: application/json)" },
  locked: { status: 429, title: "Locked after too many attempts" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Something went wrong" },
  unavailable: { status: 503, title: "The service is unavailable" },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;
export const problemType = (code: ProblemCode) => `urn:guardian:problem:${code}`;

/** Extension members a problem may carry (field errors, the methods a sign-in can use, where to enrol…). */
export type ProblemExtras = {
  errors?: Record<string, string[] | undefined>;
  methods?: string[];
  next?: "enrol";
  enrolUrl?: string;
};

/** A refusal the API raises itself (use cases raise AppError). */
export class ApiProblem extends Error {
  constructor(
    public code: ProblemCode,
    public detail: string,
    public extras: ProblemExtras = {},
    public retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = "ApiProblem";
  }
}

/** What the API calls a use case's AppError. `unauthorized` only comes from the password step. */
export function fromAppError(error: AppError): ApiProblem {
  const wait = error.endsInSeconds ?? error.retryAfterSeconds;
  const fields = error.fieldErrors ? { errors: error.fieldErrors } : {};
  if (error.reason === "locked") return new ApiProblem("locked", error.message, {}, wait ?? 60);
  if (error.reason === "invalid_code") return new ApiProblem("invalid_code", error.message, fields);
  if (error.reason === "code_already_used") return new ApiProblem("code_already_used", error.message, fields);
  switch (error.code) {
    case "unauthorized":
      return new ApiProblem("invalid_credentials", error.message);
    case "rate_limited":
      return new ApiProblem("rate_limited", error.message, {}, wait ?? 60);
    case "validation":
    case "bad_request":
      return new ApiProblem("validation", error.message, fields);
    case "session_ended":
      return new ApiProblem("invalid_token", error.message);
    case "enrol_first":
      return new ApiProblem("enrolment_required", error.message);
    case "challenge_expired":
    case "forbidden":
    case "not_found":
    case "conflict":
    case "unavailable":
    case "internal":
      return new ApiProblem(error.code, error.message);
    case "own_2fa_required":
      return new ApiProblem("forbidden", error.message);
  }
}

const HEADERS = { "content-type": "application/problem+json", "cache-control": "no-store" };

export function problemResponse(problem: ApiProblem, instance?: string): Response {
  const { status, title } = PROBLEMS[problem.code];
  const headers: Record<string, string> = { ...HEADERS };
  if (problem.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(problem.retryAfterSeconds)));
  if (problem.code === "invalid_token" || problem.code === "refresh_token_reused")
    headers["www-authenticate"] = 'Bearer error="invalid_token"';
  const body = {
    type: problemType(problem.code),
    title,
    status,
    detail: problem.detail,
    code: problem.code,
    ...(instance ? { instance } : {}),
    ...(problem.retryAfterSeconds !== undefined ? { retryAfter: Math.max(1, Math.ceil(problem.retryAfterSeconds)) } : {}),
    ...problem.extras,
  };
  return new Response(JSON.stringify(body), { status, headers });
}

/** Any error thrown under an API route, as the problem to answer; unexpected ones are logged by kind only. */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof AppError) return fromAppError(error);
  if (isDatabaseUnavailable(error)) {
    console.error("[api] database unavailable");
    return new ApiProblem("unavailable", UNAVAILABLE_MESSAGE);
  }
  // Messages from the database may quote parameters: log the kind and first line only.
  const e = error as Error;
  console.error(
    `[api] unexpected ${e?.name ?? "error"}: ${String(e?.message ?? "")
      .split("\n")[0]
      ?.slice(0, 200)}`,
  );
  return new ApiProblem("internal", "Something went wrong. Please try again.");
}
