import { describe, expect, it } from "vitest";
import { noResetEmail, passwordResetEmail } from "@/lib/mail/reset-templates";

const base = {
  orgName: "Acme",
  userName: "Ada",
  link: "https://app.example/reset-password/abc_DEF-123",
  expiresAt: new Date("2026-05-01T10:30:00Z"),
  minutesValid: 30,
};

describe("password-reset emails", () => {
  it("carry the link once in each part, its expiry, who sent it, and escape names", () => {
    const m = passwordResetEmail({ ...base, orgName: "<Acme>", sentBy: `"Mallory" <script>` });
    expect(m.text).toContain("Choose a new password:\nhttps://app.example/reset-password/abc_DEF-123");
    expect(m.text).toContain("expires in 30 minutes (1 May 2026 at 10:30 UTC)");
    expect(m.text).toContain(`"Mallory" <script>, an admin of <Acme>, sent you a link`);
    expect(m.html).not.toMatch(/<script|<Acme>/);
    expect(m.subject).toBe("Reset your Guardian password for <Acme>");
    expect(passwordResetEmail(base).text).toContain("Someone (hopefully you) asked to reset the password of your Acme account");
  });

  it("accept only http(s) links", () => {
    expect(() => passwordResetEmail({ ...base, link: "javascript:alert(1)" })).toThrow();
  });

  it("to an address without a usable account: no link, no organisation, a reason", () => {
    const m = noResetEmail({ reason: "unknown" });
    expect(m.text).not.toMatch(/https?:\/\//);
    expect(m.text.split("\n")[0]).toBe("Guardian");
    expect(m.text).toContain("You receive this email because someone entered this address on Guardian.");
    expect(noResetEmail({ reason: "not_activated" }).text).toContain("Ask your organisation's admin to send you a new invitation.");
  });
});
