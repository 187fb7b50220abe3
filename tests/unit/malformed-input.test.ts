/**
 * Every form and action input goes through a zod schema in the action wrapper (lib/action.ts). Here
 * every schema gets malformed input — empty, huge, wrong types, unicode, SQL and HTML fragments — and
 * must answer with field messages (never throw), and the wrapper must turn that into a typed result.
 */
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));

import { publicAction } from "@/lib/action";
import * as settings from "@/lib/admin/settings";
import * as memberActions from "@/lib/admin/member-actions";
import * as invitations from "@/lib/admin/invitations";
import * as profile from "@/lib/users/profile";
import * as login from "@/lib/auth/login";
import * as signup from "@/lib/orgs/signup";
import * as enrolTotp from "@/lib/mfa/enrol-totp";
import * as verifyLogin from "@/lib/mfa/verify-login";
import * as emailFactor from "@/lib/mfa/email-factor";
import * as remembered from "@/lib/mfa/remembered-devices";
import * as manage from "@/lib/mfa/manage";
import * as forgotPassword from "@/lib/auth/forgot-password";
import * as resetPassword from "@/lib/auth/reset-password";
import * as adminPasswordReset from "@/lib/admin/password-reset";

const modules = {
  settings,
  memberActions,
  invitations,
  profile,
  login,
  signup,
  enrolTotp,
  verifyLogin,
  emailFactor,
  remembered,
  manage,
  forgotPassword,
  resetPassword,
  adminPasswordReset,
};
const schemas = Object.entries(modules).flatMap(([mod, exports]) =>
  Object.entries(exports)
    .filter(([name, value]) => name.endsWith("Schema") && value instanceof z.ZodType)
    .map(([name, value]) => [`${mod}.${name}`, value as z.ZodType] as const),
);

const junk: unknown[] = [
  undefined,
  null,
  "",
  " ",
  0,
  -1,
  1e308,
  true,
  [],
  {},
  "x".repeat(100_000),
  "\u0000\u0001\u001f",
  "Zoë 😀 𝓾𝓷𝓲𝓬𝓸𝓭𝓮 ‮",
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  { $ne: null },
  ["a", "b"],
];

describe("malformed input to every action schema", () => {
  it("found the schemas", () => {
    expect(schemas.length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, schema] of schemas) {
    it(`${name} answers junk with messages, never an exception`, () => {
      const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
      const inputs: unknown[] = [...junk, ...junk.map((j) => Object.fromEntries(shape.map((k) => [k, j])))];
      for (const input of inputs) {
        const result = schema.safeParse(input);
        if (!result.success) {
          for (const issue of result.error.issues) expect(typeof issue.message).toBe("string");
        }
      }
      // A whole form of the longest junk string never gets through.
      if (shape.length) expect(schema.safeParse(Object.fromEntries(shape.map((k) => [k, "x".repeat(100_000)]))).success).toBe(false);
    });
  }

  it("the action wrapper returns typed field errors, echoes no secret, and does not run the handler", async () => {
    const handler = vi.fn();
    const action = publicAction(signup.signupSchema, handler);
    const form = new FormData();
    form.set("organization", "<b>x</b>");
    form.set("email", "' OR 1=1 --");
    form.set("password", "short");
    const state = await action(undefined, form);
    expect(handler).not.toHaveBeenCalled();
    expect(state.ok).toBe(false);
    expect(state.fieldErrors?.email?.[0]).toBe("Enter a valid email address.");
    expect(state.fieldErrors?.password?.[0]).toBe("Use at least 8 characters.");
    expect(state.values).toEqual({ organization: "<b>x</b>", email: "' OR 1=1 --" });
    expect(JSON.stringify(state)).not.toContain("short");
    for (const input of junk) await expect(action(undefined, input)).resolves.toMatchObject({ ok: false });
  });
});
