import { afterEach, describe, expect, it } from "vitest";
import { minutesText } from "@/lib/attempts";
import { loginSchema } from "@/lib/auth/login";
import { mfaRequirement } from "@/lib/mfa/policy";
import { signupSchema } from "@/lib/orgs/signup";
import { safeCallbackUrl } from "@/lib/urls";
import { newPassword as passwordSchema } from "@/lib/validation";

describe("password rules", () => {
  it("accepts 8 to 128 characters with no composition rules and no truncation", () => {
    expect(passwordSchema.safeParse("abcdefgh").success).toBe(true);
    expect(passwordSchema.safeParse("a".repeat(128)).success).toBe(true);
    expect(passwordSchema.safeParse("abcdefg").success).toBe(false);
    expect(passwordSchema.safeParse("a".repeat(129)).success).toBe(false);
    expect(passwordSchema.parse("  spaced  words ✓ ")).toBe("  spaced  words ✓ ");
  });
});

describe("form schemas reject malformed input with field messages", () => {
  const bad: unknown[] = [undefined, null, 42, {}, [], "", " ", "x".repeat(10_000), "<script>alert(1)</script>", "' OR 1=1 --"];
  it("login", () => {
    for (const email of bad) {
      const r = loginSchema.safeParse({ email, password: "x" });
      expect(r.success).toBe(false);
    }
    expect(loginSchema.safeParse({ email: "a@b.co", password: 5 }).success).toBe(false);
  });
  it("sign-up", () => {
    const ok = { organization: "Org", name: "Name", email: "a@b.co", password: "long enough" };
    expect(signupSchema.safeParse(ok).success).toBe(true);
    expect(signupSchema.safeParse({ ...ok, name: "bad\u0000name" }).success).toBe(false);
    expect(signupSchema.safeParse({ ...ok, organization: "x".repeat(101) }).success).toBe(false);
    expect(signupSchema.safeParse({ ...ok, name: "Zoë 😀 <b>bold</b>" }).success).toBe(true);
  });
});

describe("callback URLs", () => {
  it("follows only same-site relative paths", () => {
    expect(safeCallbackUrl("/profile")).toBe("/profile");
    expect(safeCallbackUrl("//evil.example")).toBe("/");
    expect(safeCallbackUrl("https://evil.example")).toBe("/");
    expect(safeCallbackUrl("/\\evil.example")).toBe("/");
    expect(safeCallbackUrl(undefined)).toBe("/");
    expect(safeCallbackUrl(["/a"])).toBe("/");
  });
});

describe("2FA requirement", () => {
  const org = { require2fa: false, graceUntil: null, allowTotp: true, allowEmail: true };
  it("is required when enforced on the user, without grace", () => {
    expect(mfaRequirement(org, { mfaEnforced: true })).toEqual({ required: true, canSkip: false, graceUntil: null });
  });
  it("follows the organisation and its grace period (before, on, after)", () => {
    const end = new Date("2026-12-02T00:00:00Z");
    const o = { ...org, require2fa: true, graceUntil: end };
    expect(mfaRequirement(o, { mfaEnforced: false }, new Date("2026-12-01T23:59:59Z")).canSkip).toBe(true);
    expect(mfaRequirement(o, { mfaEnforced: false }, end).canSkip).toBe(false);
    expect(mfaRequirement(o, { mfaEnforced: false }, new Date("2026-12-03T00:00:00Z")).canSkip).toBe(false);
    expect(mfaRequirement(org, { mfaEnforced: false }).required).toBe(false);
  });
  it("speaks minutes", () => {
    expect(minutesText(900)).toBe("15 minutes");
    expect(minutesText(1)).toBe("1 minute");
  });
});

describe("client address", () => {
  const marker = Symbol.for("guardian.client-address-server");
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[marker];
  });

  it("never reads X-Forwarded-For or X-Real-IP; reads the internal header only in a process server.ts started (S35)", async () => {
    const { metaFromHeaders } = await import("@/lib/request-context");
    const { CLIENT_ADDRESS_HEADER, markClientAddressServer } = await import("@/lib/client-address");
    const h = new Headers({
      "x-forwarded-for": "198.51.100.7, 203.0.113.5",
      "x-real-ip": "203.0.113.6",
      [CLIENT_ADDRESS_HEADER]: "192.0.2.10",
      "user-agent": "UA",
    });
    // Plain `next start`: the internal header could come from the client, so nothing is believed.
    expect(metaFromHeaders(h)).toEqual({ ip: "unknown", userAgent: "UA" });
    markClientAddressServer();
    expect(metaFromHeaders(h)).toEqual({ ip: "192.0.2.10", userAgent: "UA" });
    expect(metaFromHeaders(new Headers({ "x-forwarded-for": "203.0.113.5" })).ip).toBe("unknown");
  });
});
