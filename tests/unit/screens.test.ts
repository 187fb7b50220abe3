/** Pure helpers behind the screens (issue 13): grace-period days, locales, audit details, return links, policy drafts. */
import { describe, expect, it } from "vitest";
import { parseDraft } from "@/app/(app)/admin/settings/draft";
import { LEGACY_ANCHORS } from "@/app/(app)/security/_components/pages";
import { returnTarget, withReturn } from "@/app/(app)/security/_components/return-to";
import { describeDetail } from "@/lib/audit/labels";
import { pickLocale } from "@/lib/locale";
import { formatGraceDay, graceDaysLeft, graceUntilFromLastDay } from "@/lib/mfa/policy";

describe("grace period: days left agree with the last day shown", () => {
  const until = graceUntilFromLastDay("2025-12-02")!; // members may skip through 2 Dec (UTC)

  it("counts 7 days on 25 Nov for a last day of 2 Dec, at any hour", () => {
    expect(graceDaysLeft(until, new Date("2025-11-25T00:00:00Z"))).toBe(7);
    expect(graceDaysLeft(until, new Date("2025-11-25T23:59:59Z"))).toBe(7);
  });

  it("says 1 the day before and 0 on the last day itself, never negative", () => {
    expect(graceDaysLeft(until, new Date("2025-12-01T12:00:00Z"))).toBe(1);
    expect(graceDaysLeft(until, new Date("2025-12-02T08:00:00Z"))).toBe(0);
    expect(graceDaysLeft(until, new Date("2025-12-05T08:00:00Z"))).toBe(0);
  });
});

describe("dates in the reader's locale", () => {
  it("picks the first language of Accept-Language that can be formatted, else en-GB", () => {
    expect(pickLocale("en-US,en;q=0.9")).toBe("en-US");
    expect(pickLocale("de-DE;q=1, en;q=0.5")).toBe("de-DE");
    expect(pickLocale(null)).toBe("en-GB");
    expect(pickLocale("")).toBe("en-GB");
    expect(pickLocale("*")).toBe("en-GB");
    expect(pickLocale("<script>, en-GB")).toBe("en-GB");
  });

  it("writes a grace day the way that locale does, with the year only outside this one", () => {
    const now = new Date("2025-11-25T10:00:00Z");
    expect(formatGraceDay("2025-12-09", now)).toBe("9 Dec");
    expect(formatGraceDay("2025-12-09", now, "en-GB")).toBe("9 Dec");
    expect(formatGraceDay("2025-12-09", now, "en-US")).toBe("Dec 9");
    expect(formatGraceDay("2026-01-05", now, "en-US")).toBe("Jan 5, 2026");
  });
});

describe("audit details in words", () => {
  it("labels every key the app writes: no raw keys, codes or true/false", () => {
    expect(describeDetail({ type: "totp", name: "Pixel", first: true }, "mfa.factor.added")).toBe(
      "Method: Authenticator app · Name: Pixel · First method: recovery codes created",
    );
    expect(describeDetail({ type: "email", name: "Work", first: false }, "mfa.factor.added")).toBe("Method: Email codes · Name: Work");
    expect(describeDetail({ reason: "Lost phone", factors: 1, recoveryCodes: 10, rememberedDevices: 0 }, "admin.mfa.removed")).toBe(
      "Reason: Lost phone · Methods removed: 1 · Recovery codes removed: 10 · Remembered browsers ended: 0",
    );
    expect(describeDetail({ from: "agent", to: "admin" }, "admin.user.role")).toBe("Role: Agent → Admin");
    expect(describeDetail({ from: "Old", to: "New", type: "totp" }, "mfa.factor.renamed")).toBe(
      "Name: “Old” → “New” · Method: Authenticator app",
    );
    expect(describeDetail({ method: "totp", reason: "replayed", counted: false })).toBe(
      "Method: Authenticator app · Reason: code already used · Not counted toward the limit",
    );
    expect(describeDetail({ role: "agent", mfaEnforced: true })).toBe("Role: Agent · 2FA required: yes");
    expect(describeDetail({ wasLocked: true, cleared: "password,mfa", lockedBrowsers: 0 })).toBe(
      "Cleared: password (new browsers), second factor · Locked browsers: 0",
    );
    expect(describeDetail({ scope: "others", count: 2 })).toBe("Sessions: all other sessions · Sessions ended: 2");
    expect(describeDetail({ remaining: 9 })).toBe("Recovery codes left: 9");
    expect(describeDetail({ days: 30 })).toBe("Remembered for: 30 days");
    expect(describeDetail({ graceUntil: "2025-12-03T00:00:00.000Z" })).toMatch(/^Grace period until: 2 Dec( 2025)?$/);
    expect(describeDetail({ changed: ["require2fa", "graceUntil"], before: { a: 1 }, membersWithout2fa: 2 })).toBe(
      "Changed: 2FA required, grace period · Members without 2FA: 2",
    );
  });

  it("humanises a key it does not know, and leaves nested objects out", () => {
    expect(describeDetail({ someNewKey: "x", flag: true, nested: { secret: "s" } })).toBe("Some new key: x · Flag: yes");
  });
});

describe("Set up my 2FA now: the way back", () => {
  it("follows only the policy page, with its query", () => {
    expect(returnTarget("/admin/settings?draft=1&require2fa=on")).toEqual({
      href: "/admin/settings?draft=1&require2fa=on",
      label: "Back to the 2FA policy",
    });
    for (const bad of [
      "https://evil.example/admin/settings",
      "//evil.example/admin/settings",
      "/admin/members",
      "/\\evil",
      "javascript:alert(1)",
      undefined,
      ["/admin/settings"],
    ]) {
      expect(returnTarget(bad)).toBeNull();
    }
  });

  it("adds the way back to a link only when there is one", () => {
    const back = returnTarget("/admin/settings?draft=1")!;
    expect(withReturn("/security/two-factor/email", back)).toBe("/security/two-factor/email?return=%2Fadmin%2Fsettings%3Fdraft%3D1");
    expect(withReturn("/security/two-factor/email", null)).toBe("/security/two-factor/email");
  });

  it("reads the policy draft back from the query, keeping only well-formed values", () => {
    expect(parseDraft({ require2fa: "on" })).toBeNull();
    expect(parseDraft({ draft: "1", allowTotp: "on", require2fa: "on", graceDay: "2030-01-31", rememberDeviceDays: "14" })).toEqual({
      allowTotp: true,
      allowEmail: false,
      allowWebauthn: false,
      require2fa: true,
      graceDay: "2030-01-31",
      rememberDeviceDays: 14,
    });
    expect(parseDraft({ draft: "1", graceDay: "31/01/2030", rememberDeviceDays: "9999" })).toMatchObject({
      graceDay: null,
      rememberDeviceDays: undefined,
    });
  });

  it("maps the old profile page's sections to their new pages", () => {
    expect(LEGACY_ANCHORS["#two-factor"]).toBe("/security/two-factor");
    expect(LEGACY_ANCHORS["#login-history"]).toBe("/security/login-history");
  });
});
