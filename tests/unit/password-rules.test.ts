/**
 * S34 and the shared password rule (lib/validation.ts): 8 to 128 characters, not one of the 1,000 most
 * common passwords of the shipped list (compared lower-cased), not the email address.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { COMMON_PASSWORDS_FILE, commonPasswords, isCommonPassword } from "@/lib/auth/common-passwords";
import { resetPasswordSchema } from "@/lib/auth/reset-password";
import { signupSchema } from "@/lib/orgs/signup";
import { changePasswordSchema } from "@/lib/users/profile";
import {
  COMMON_PASSWORD_MESSAGE,
  PASSWORD_IS_EMAIL_MESSAGE,
  email,
  newPassword,
  passwordEmailProblem,
  passwordNotEmail,
} from "@/lib/validation";

const message = (r: { success: boolean; error?: z.ZodError }) => (r.success ? null : r.error!.issues[0]!.message);

describe("the common-password list", () => {
  it("ships 1,000 lower-cased passwords of 8+ characters, with where they come from", () => {
    const list = commonPasswords();
    expect(list.size).toBe(1000);
    for (const p of list) {
      expect(p).toBe(p.toLowerCase());
      expect([...p].length).toBeGreaterThanOrEqual(8);
    }
    for (const p of ["password", "12345678", "iloveyou", "sunshine", "password1", "trustno1"]) expect(list.has(p)).toBe(true);
    expect(fs.readFileSync(COMMON_PASSWORDS_FILE, "utf8")).toMatch(
      /^# .*\n# Extracted by scripts\/common-passwords\.ts from .*@zxcvbn-ts\/language-common/,
    );
  });

  it("refuses every listed password, in any case, with a clear message", () => {
    for (const p of commonPasswords()) expect(newPassword.safeParse(p).success, p).toBe(false);
    expect(isCommonPassword("PassWord1")).toBe(true);
    expect(message(newPassword.safeParse("Iloveyou"))).toBe(COMMON_PASSWORD_MESSAGE);
    // The same rule under every name it is used by.
    expect(newPassword.safeParse("Sunshine").success).toBe(false);
    expect(changePasswordSchema.safeParse({ currentPassword: "x", newPassword: "football", confirmPassword: "football" }).success).toBe(
      false,
    );
    expect(resetPasswordSchema.safeParse({ token: "t", password: "baseball", confirmPassword: "baseball" }).success).toBe(false);
  });

  it("still accepts the demo and test passwords, passphrases and the length limits", () => {
    for (const p of [
      "acme-demo-password",
      "correct horse battery",
      "a long enough passphrase",
      "abcdefgh",
      "a".repeat(128),
      "  spaced  words ✓ ",
    ]) {
      expect(newPassword.safeParse(p).success, p).toBe(true);
    }
    expect(message(newPassword.safeParse("abcdefg"))).toBe("Use at least 8 characters.");
    expect(message(newPassword.safeParse("a".repeat(129)))).toBe("Use at most 128 characters.");
  });
});

describe("not the email address", () => {
  it("refuses the address or its name part, ignoring case and surrounding spaces", () => {
    expect(passwordEmailProblem("Ada.Lovelace@Example.com", "ada.lovelace@example.com")).toBe(PASSWORD_IS_EMAIL_MESSAGE);
    expect(passwordEmailProblem(" ada.lovelace ", "ada.lovelace@example.com")).toBe(PASSWORD_IS_EMAIL_MESSAGE);
    expect(passwordEmailProblem("ada.lovelace@example.com!", "ada.lovelace@example.com")).toBeNull();
  });

  it("as an object schema's superRefine, on the password field (what sign-up uses)", () => {
    const schema = z.object({ email, password: newPassword }).superRefine(passwordNotEmail());
    const r = schema.safeParse({ email: "Grace.Hopper@Example.com", password: "grace.hopper@example.com" });
    expect(r.success).toBe(false);
    expect(z.flattenError(r.error!).fieldErrors).toEqual({ password: [PASSWORD_IS_EMAIL_MESSAGE] });
    expect(schema.safeParse({ email: "grace@example.com", password: "compilers all the way" }).success).toBe(true);
    const renamed = z.object({ work: email, pw: newPassword }).superRefine(passwordNotEmail("pw", "work"));
    expect(z.flattenError(renamed.safeParse({ work: "longname@x.io", pw: "longname@x.io" }).error!).fieldErrors).toEqual({
      pw: [PASSWORD_IS_EMAIL_MESSAGE],
    });
  });
});

describe("sign-up follows the same rule", () => {
  it("refuses a common password and the email address as the password", () => {
    const form = { organization: "Org", name: "Sam", email: "sam@example.test" };
    expect(message(signupSchema.safeParse({ ...form, password: "iloveyou" }))).toBe(COMMON_PASSWORD_MESSAGE);
    expect(message(signupSchema.safeParse({ ...form, password: "sam@example.test" }))).toBe(PASSWORD_IS_EMAIL_MESSAGE);
    expect(signupSchema.safeParse({ ...form, password: "a sound new passphrase" }).success).toBe(true);
  });
});
