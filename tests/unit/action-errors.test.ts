/**
 * Error codes reach the screen: the action wrapper carries an AppError's code into the form state, and
 * gives its own failures a code too, so screens branch on codes and never on message text.
 */
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { publicAction } from "@/lib/action";
import { AppError, ERROR_STATUS, fieldError } from "@/lib/errors";

// Hoisted by vitest above the imports: the action wrapper reads request headers.
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));

const schema = z.object({ name: z.string().min(1, "Enter a name.") });
const form = (name: string) => {
  const f = new FormData();
  f.set("name", name);
  return f;
};

describe("error codes in action results", () => {
  it("carries the code a use case raised, with its safe message", async () => {
    const action = publicAction(schema, async () => {
      throw new AppError("own_2fa_required", "Set up your own 2FA first.");
    });
    expect(await action(undefined, form("x"))).toMatchObject({ ok: false, code: "own_2fa_required", error: "Set up your own 2FA first." });
  });

  it("answers invalid input with the validation code and field errors", async () => {
    const action = publicAction(schema, vi.fn());
    expect(await action(undefined, form(""))).toMatchObject({ ok: false, code: "validation", fieldErrors: { name: ["Enter a name."] } });
    const raised = publicAction(schema, async () => {
      throw fieldError("name", "That name is taken.");
    });
    expect(await raised(undefined, form("x"))).toMatchObject({
      ok: false,
      code: "bad_request",
      fieldErrors: { name: ["That name is taken."] },
    });
  });

  it("turns an unexpected error into the internal code without its message", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const action = publicAction(schema, async () => {
      throw new Error("duplicate key value violates unique constraint users_email_idx");
    });
    const state = await action(undefined, form("x"));
    expect(state).toMatchObject({ ok: false, code: "internal", error: "Something went wrong. Please try again." });
    expect(JSON.stringify(state)).not.toContain("users_email_idx");
    spy.mockRestore();
  });

  it("gives every code an HTTP status", () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) expect(status, code).toBeGreaterThanOrEqual(400);
  });
});
