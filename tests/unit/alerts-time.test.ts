/** Issue #17: the calendar rules of the scheduled emails (no database). */
import { describe, expect, it } from "vitest";
import { ALERT_KINDS, ALERT_LABELS } from "@/lib/alerts/kinds";
import { reminderStage } from "@/lib/alerts/planner";
import { isDigestTime, isTimeZone, localTime } from "@/lib/alerts/time-zone";
import { describeDetail } from "@/lib/audit/labels";
import { graceDaysLeft, graceUntilFromLastDay } from "@/lib/mfa/policy";

describe("weekly digest time", () => {
  it("is Monday from 08:00 local time, across a daylight-saving change", () => {
    // Europe/Paris moves to summer time on Sunday 28 March 2027: Monday 08:00 is 07:00 UTC before, 06:00 after.
    expect(isDigestTime(new Date("2027-03-22T06:59:00Z"), "Europe/Paris")).toBe(false);
    expect(isDigestTime(new Date("2027-03-22T07:00:00Z"), "Europe/Paris")).toBe(true);
    expect(isDigestTime(new Date("2027-03-29T05:59:00Z"), "Europe/Paris")).toBe(false);
    expect(isDigestTime(new Date("2027-03-29T06:00:00Z"), "Europe/Paris")).toBe(true);
    // Tuesday there, even though still Monday in UTC.
    expect(isDigestTime(new Date("2027-03-22T20:00:00Z"), "Pacific/Auckland")).toBe(false);
    expect(localTime(new Date("2027-03-22T20:00:00Z"), "Pacific/Auckland")).toEqual({ date: "2027-03-23", weekday: 2, hour: 9 });
  });

  it("accepts IANA names only; an unknown one is read as UTC", () => {
    expect(isTimeZone("America/New_York")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    for (const bad of ["", "Mars/Olympus", "'; DROP TABLE", "x".repeat(100)]) expect(isTimeZone(bad)).toBe(false);
    expect(localTime(new Date("2027-03-22T08:00:00Z"), "Mars/Olympus")).toEqual({ date: "2027-03-22", weekday: 1, hour: 8 });
  });
});

describe("grace reminders", () => {
  it("7 days before the last day, the day before, and on the day (UTC calendar days, as the grace period)", () => {
    const graceUntil = graceUntilFromLastDay("2027-03-15")!;
    const stageOn = (iso: string) => reminderStage(graceDaysLeft(graceUntil, new Date(iso)));
    expect(stageOn("2027-03-07T23:59:00Z")).toBeNull();
    expect(stageOn("2027-03-08T00:00:00Z")).toBe(7);
    expect(stageOn("2027-03-13T12:00:00Z")).toBe(7);
    expect(stageOn("2027-03-14T00:00:00Z")).toBe(1);
    expect(stageOn("2027-03-15T00:00:00Z")).toBe(0);
    expect(stageOn("2027-03-15T23:59:59Z")).toBe(0);
  });

  it("every alert kind has a label and a hint for Security › Notifications", () => {
    for (const kind of ALERT_KINDS) expect(ALERT_LABELS[kind].label.length).toBeGreaterThan(5);
  });
});

describe("audit details of issue #17's events in words", () => {
  it("incident counts, the reason as typed, the email kind; no job keys or ids", () => {
    expect(
      describeDetail(
        {
          reason: "replayed",
          whose: "agent",
          members: 2,
          factors: 2,
          recoveryCodes: 20,
          sessions: 4,
          pendingLogins: 1,
          rememberedDevices: 3,
        },
        "admin.incident.mfa_reset_everyone",
      ),
    ).toBe(
      "Reason: replayed · Methods removed: 2 · Recovery codes removed: 20 · Remembered browsers ended: 3 · Whose 2FA: agents · Members: 2 · Sessions ended: 4 · Sign-ins in progress stopped: 1",
    );
    expect(describeDetail({ kind: "reminder-7", job: "reminder:x:y", about: "uuid" }, "notification.sent")).toBe(
      "Email: 2FA set-up reminder, 7 days left",
    );
    expect(describeDetail({ off: ["weekly-digest"] }, "user.alerts.updated")).toBe("Alerts switched off: weekly-digest");
  });
});
