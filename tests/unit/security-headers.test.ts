import { describe, expect, it } from "vitest";
import { describeDetail, eventLabel, methodLabel } from "@/lib/audit/labels";
import { parseAuditSearchParams } from "@/lib/audit/queries";
import { applySecurityHeaders, contentSecurityPolicy, createNonce, staticSecurityHeaders } from "@/lib/security-headers";
import { describeUserAgent } from "@/lib/user-agent";

function directives(csp: string) {
  return Object.fromEntries(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  ) as Record<string, string[]>;
}

describe("content security policy", () => {
  it("makes a fresh 128-bit nonce per call", () => {
    const nonces = new Set(Array.from({ length: 200 }, createNonce));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("allows only nonce-bearing scripts, no framing, no plugins; 'unsafe-eval' and no upgrade in development", () => {
    const d = directives(contentSecurityPolicy("abc123", true));
    expect(d["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'", "'unsafe-eval'"]);
    expect(d["script-src"]).not.toContain("'unsafe-inline'");
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    expect(d["img-src"]).toEqual(expect.arrayContaining(["data:", "blob:"]));
    expect(d["style-src"]).toContain("'unsafe-inline'");
    expect(d["upgrade-insecure-requests"]).toBeUndefined();
  });

  it("drops 'unsafe-eval' and upgrades insecure requests in production", () => {
    const d = directives(contentSecurityPolicy("xyz", false));
    expect(d["script-src"]).toEqual(["'self'", "'nonce-xyz'", "'strict-dynamic'"]);
    expect(d["connect-src"]).toEqual(["'self'"]);
    expect(d["upgrade-insecure-requests"]).toEqual([]);
  });

  it("sends HSTS only in production, and the same static headers otherwise", () => {
    expect(staticSecurityHeaders(true)["Strict-Transport-Security"]).toBeUndefined();
    expect(staticSecurityHeaders(false)["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    for (const dev of [true, false]) {
      expect(staticSecurityHeaders(dev)).toMatchObject({
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
      });
    }
  });

  it("puts CSP, static headers and no-store on a response", () => {
    const response = applySecurityHeaders(
      new Response(null, { headers: { "Cache-Control": "public, max-age=600" } }),
      "default-src 'self'",
    );
    expect(response.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store, max-age=0");
  });
});

describe("user agents, event labels and details", () => {
  it("describes browser and OS in a few words", () => {
    expect(
      describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36").text,
    ).toBe("Chrome 131 on Linux");
    expect(
      describeUserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
      ).text,
    ).toBe("Mobile Safari 17 on iOS 17.1");
    expect(describeUserAgent("").text).toBe("Unknown browser");
    expect(describeUserAgent(null).text).toBe("Unknown browser");
    expect(describeUserAgent("curl/8.5.0").text).toBe("Unknown browser");
  });

  it("labels events and methods, falling back to the raw name", () => {
    expect(eventLabel("login.locked")).toBe("Sign-in refused: too many attempts");
    expect(eventLabel("something.new")).toBe("something.new");
    expect(methodLabel("totp")).toBe("Authenticator app");
    expect(methodLabel(null)).toBe("—");
  });

  it("describes scalar details only", () => {
    expect(describeDetail({ method: "recovery", reason: "wrong_password", nested: { secret: "x" } })).toBe(
      "Method: Recovery code · Reason: wrong password",
    );
    expect(describeDetail({})).toBe("");
  });

  it("parses the audit page's query string: UTC days, both ends included, page numbers", () => {
    const parsed = parseAuditSearchParams({
      from: "2026-03-01",
      to: "2026-03-31",
      page: "3",
      event: "login.success",
      member: ["A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "x"],
    });
    expect(parsed.filter).toEqual({
      memberId: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      event: "login.success",
      from: new Date("2026-03-01T00:00:00Z"),
      until: new Date("2026-04-01T00:00:00Z"),
    });
    expect(parsed.page).toBe(3);
    expect(parseAuditSearchParams({ from: "2026-03-05", to: "2026-03-01" }).reversedDates).toBe(true);
    expect(parseAuditSearchParams({ page: "0" }).page).toBe(1);
  });
});
