/**
 * Errors a use case raises on purpose. The message is safe to show to the user; the code is what
 * screens (and any API) branch on — never the message text. Each code has the HTTP status it means.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  /** Input failed its schema: `fieldErrors` says where. */
  validation: 400,
  unauthorized: 401,
  /** The signed-in session is gone (signed out, expired, revoked). */
  session_ended: 401,
  /** The login in progress (password done, second step pending) is gone or used. */
  challenge_expired: 401,
  forbidden: 403,
  /** The user must set up 2FA before doing anything else (S31). */
  enrol_first: 403,
  /** An admin must turn on their own 2FA before changing 2FA settings (S28, S32). */
  own_2fa_required: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * A finer, stable reason some refusals carry on top of their code, for clients that must tell them apart
 * (the JSON API's problem types, lib/api/problem.ts). Screens keep branching on `code`; the message is unchanged.
 * - invalid_code: a second-factor code that did not pass (counted in the budget);
 * - code_already_used: an authenticator code whose time step was already accepted (not counted);
 * - locked: the account's (or this browser's) attempt budget is spent, until `retryAfterSeconds`.
 */
export type ErrorReason = "invalid_code" | "code_already_used" | "locked";

export class AppError extends Error {
  /** For "try again later" refusals the screen can count down (e.g. the email-code resend cooldown). */
  retryAfterSeconds?: number;
  /** See ErrorReason. */
  reason?: ErrorReason;
  /** When a lock or limit ends (the API's Retry-After). Unlike `retryAfterSeconds`, screens do not count down to it. */
  endsInSeconds?: number;

  constructor(
    public code: ErrorCode,
    message: string,
    public fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** The same error with its reason (and, for a lock, when it ends). */
export function withReason(error: AppError, reason: ErrorReason, endsInSeconds?: number) {
  error.reason = reason;
  if (endsInSeconds !== undefined) error.endsInSeconds = endsInSeconds;
  return error;
}

export const forbidden = () => new AppError("forbidden", "You do not have permission to do that.");
export const notFound = (what = "That item") => new AppError("not_found", `${what} was not found.`);
export const fieldError = (field: string, message: string) => new AppError("bad_request", message, { [field]: [message] });

/** What a screen shows when the server or the database cannot be reached. */
export const UNAVAILABLE_MESSAGE = "The service is unavailable right now. Please try again in a moment.";
