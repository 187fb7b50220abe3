/** The JSON API's problem details (RFC 9457): AppError codes and reasons map to stable problem codes. */
import { describe, expect, it } from "vitest";
import { ApiProblem, fromAppError, problemResponse, toProblem } from "@/lib/api/problem";
import { AppError, fieldError, withReason } from "@/lib/errors";
import { describeSession } from "@/lib/user-agent";

describe("problem details", () => {
  it("maps codes and reasons: invalid_credentials, invalid_code, code_already_used, locked, rate_limited, validation", () => {
    expect(fromAppError(new AppError("unauthorized", "Incorrect email or password.")).code).toBe("invalid_credentials");
    expect(fromAppError(withReason(fieldError("code", "Wrong."), "invalid_code"))).toMatchObject({
      code: "invalid_code",
      extras: { errors: { code: ["Wrong."] } },
    });
    expect(fromAppError(withReason(fieldError("code", "Used."), "code_already_used")).code).toBe("code_already_used");
    expect(fromAppError(withReason(new AppError("rate_limited", "Locked."), "locked", 900))).toMatchObject({
      code: "locked",
      retryAfterSeconds: 900,
    });
    const cooldown = new AppError("rate_limited", "Wait.");
    cooldown.retryAfterSeconds = 17;
    expect(fromAppError(cooldown)).toMatchObject({ code: "rate_limited", retryAfterSeconds: 17 });
    expect(fromAppError(fieldError("email", "Bad.")).code).toBe("validation");
  });

  it("answers application/problem+json with Retry-After, and never an unexpected error's message or stack", async () => {
    const response = problemResponse(new ApiProblem("locked", "Locked.", {}, 61.2), "/api/v1/auth/mfa");
    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("retry-after")).toBe("62");
    expect(await response.json()).toEqual({
      type: "urn:guardian:problem:locked",
      title: "Locked after too many attempts",
      status: 429,
      detail: "Locked.",
      code: "locked",
      instance: "/api/v1/auth/mfa",
      retryAfter: 62,
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const boom = toProblem(new Error("duplicate key value violates unique constraint, password=hunter2\n    at x (y.ts:1)"));
      expect(boom).toMatchObject({ code: "internal", detail: "Something went wrong. Please try again." });
    } finally {
      console.error = original;
    }
    expect(JSON.stringify(errors)).not.toContain("at x");
  });

  it("names an API client's session by its name and kind, a browser's by its User-Agent", () => {
    expect(describeSession({ userAgent: "curl/8", clientName: "Guardian for Chrome", clientKind: "extension" })).toBe(
      "Guardian for Chrome · browser extension",
    );
    expect(describeSession({ userAgent: "" })).toBe("Unknown browser");
  });
});
