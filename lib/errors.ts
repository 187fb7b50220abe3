/** Errors a use case raises on purpose: the message is safe to show to the user. */
export type AppErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable";

export class AppError extends Error {
  constructor(
    public code: AppErrorCode,
    message: string,
    public fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const forbidden = () => new AppError("forbidden", "You do not have permission to do that.");
export const notFound = (what = "That item") => new AppError("not_found", `${what} was not found.`);
export const fieldError = (field: string, message: string) => new AppError("bad_request", message, { [field]: [message] });
