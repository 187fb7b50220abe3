import { describe, expect, it } from "vitest";
import { PRODUCT_NAME } from "@/lib/config";
import { escapeHtml, formatMailDate, invitationEmail, loginCodeEmail, securityNoticeEmail } from "@/lib/mail/templates";

describe("mail templates", () => {
  it("escapes every HTML-special character", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("escapes user-chosen names in the HTML part and keeps them readable in the text part", () => {
    const m = securityNoticeEmail({
      orgName: `<img src=x onerror=alert(1)>`,
      userName: `"Mallory" <script>`,
      title: "Authenticator <removed>",
      lines: ["A <b>line</b> & more"],
    });
    expect(m.html).not.toMatch(/<img|<script|<b>/);
    expect(m.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(m.html).toContain("A &lt;b&gt;line&lt;/b&gt; &amp; more");
    expect(m.text).toContain(`Hi "Mallory" <script>,`);
    expect(m.text).toContain(`${PRODUCT_NAME} · <img src=x onerror=alert(1)>`);
  });

  it("keeps subjects on one line (no header injection through a name)", () => {
    const m = loginCodeEmail({ orgName: "Acme\r\nBcc: victim@example.test", userName: "Ada", code: "123456", minutesValid: 10 });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject).toBe(`Your ${PRODUCT_NAME} sign-in code for Acme Bcc: victim@example.test`);
  });

  it("puts the code alone on a line of the text part, and only accepts six digits", () => {
    const m = loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "004217", minutesValid: 10 });
    expect(m.text).toMatch(/^ {4}004217$/m);
    expect(m.text).toContain("expires in 10 minutes");
    expect(() => loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "12345", minutesValid: 10 })).toThrow();
    expect(() => loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "<b>123456", minutesValid: 10 })).toThrow();
  });

  it("accepts only http(s) invitation links, escaped inside the href", () => {
    const m = invitationEmail({
      orgName: "Acme",
      inviterName: "Bob",
      userName: "Ada",
      link: `https://app.example/invite/t?a=1&b="2"`,
      expiresOn: new Date("2026-12-02T14:00:00Z"),
    });
    expect(m.html).toContain(`href="https://app.example/invite/t?a=1&amp;b=%222%22"`);
    expect(m.text).toContain("expires on 2 December 2026 at 14:00 UTC");
    const base = { orgName: "Acme", inviterName: "Bob", userName: "Ada", expiresOn: "soon" };
    expect(() => invitationEmail({ ...base, link: "javascript:alert(1)" })).toThrow();
    expect(() => invitationEmail({ ...base, link: "/relative" })).toThrow();
  });

  it("formats dates in UTC, and takes a string as already formatted", () => {
    expect(formatMailDate(new Date("2026-01-05T09:07:00Z"))).toBe("5 January 2026 at 09:07 UTC");
    expect(formatMailDate("tomorrow")).toBe("tomorrow");
  });

  it("uses the caller's footer in a security notice instead of the default advice", () => {
    const m = securityNoticeEmail({ orgName: "Acme", userName: "Ada", title: "T", lines: ["L"], footer: "Contact Bob." });
    expect(m.text).toContain("Contact Bob.");
    expect(m.text).not.toContain("If this wasn't you");
  });
});
