import { describe, expect, it } from "vitest";
import { invitationElsewhereEmail, signupExistingAccountEmail, signupLinkEmail } from "@/lib/mail/account-templates";

const evil = `<img src=x onerror=alert(1)>\r\nBcc: victim@example.test`;

describe("account emails (sign-up link, existing account, invitation elsewhere)", () => {
  it("escape names typed by strangers, keep subjects free of them, and accept only http(s) links", () => {
    const link = signupLinkEmail({
      orgName: evil,
      userName: evil,
      link: "https://app.example/signup/confirm/tok",
      expiresOn: new Date("2026-12-02T14:00:00Z"),
    });
    expect(link.subject).toBe("Confirm your email address for Guardian");
    expect(link.html).not.toMatch(/<img/);
    expect(link.text).toContain("https://app.example/signup/confirm/tok");
    expect(link.text).toContain("expires on 2 December 2026 at 14:00 UTC");
    expect(link.text).toContain("someone asked to create an organisation on Guardian with this address");
    expect(() => signupLinkEmail({ orgName: "A", userName: "B", link: "javascript:alert(1)", expiresOn: "soon" })).toThrow();

    const notice = signupExistingAccountEmail({ orgName: "Acme", userName: "Ada", loginUrl: "https://app.example/login" });
    expect(notice.text).toContain("already belongs to your account at Acme");
    expect(notice.text).not.toMatch(/signup\/confirm/);

    const elsewhere = invitationElsewhereEmail({
      orgName: evil,
      inviterName: evil,
      userName: "Ada",
      loginUrl: "https://app.example/login",
    });
    expect(elsewhere.subject).not.toMatch(/[\r\n]/);
    expect(elsewhere.html).not.toMatch(/<img/);
    expect(elsewhere.text).toContain("cannot join");
    expect(() => invitationElsewhereEmail({ orgName: "A", inviterName: "B", userName: "C", loginUrl: "file:///etc/passwd" })).toThrow();
  });
});
