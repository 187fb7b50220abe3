import { expect, type Page } from "@playwright/test";
import { E2E_LOCALE } from "../locale";

/** The organisation admin screens: members table, add user, member page, 2FA policy. */
export class AdminPage {
  constructor(readonly page: Page) {}

  async gotoMembers(status?: string) {
    await this.page.goto(status ? `/admin/members?status=${status}` : "/admin/members");
    await expect(this.page.getByRole("heading", { name: "Members", exact: true })).toBeVisible();
  }

  row(email: string) {
    return this.page.locator(`[data-testid="member-row"][data-email="${email}"]`);
  }

  enforceSwitch(name: string) {
    return this.page.getByRole("switch", { name: `Enforce 2FA for ${name}` });
  }

  /** Adds a user through the form; ends on their member page. Returns the member page URL. */
  async addUser(input: { name: string; email: string; role?: "Agent" | "Admin"; requireMfa: boolean }) {
    await this.page.goto("/admin/members/new");
    const form = this.page.getByRole("form", { name: "Add user" });
    await form.getByLabel("Name").fill(input.name);
    await form.getByLabel("Email").fill(input.email);
    if (input.role === "Admin") await form.getByLabel("Role").selectOption("admin");
    await form.getByLabel("Require 2FA").setChecked(input.requireMfa);
    await form.getByRole("button", { name: "Add user and send invitation" }).click();
    await expect(this.page.getByText("User added", { exact: true })).toBeVisible();
    await expect(this.page.getByRole("heading", { name: input.name })).toBeVisible();
    return this.page.url();
  }

  async gotoSettings() {
    await this.page.goto("/admin/settings");
    await expect(this.page.getByRole("heading", { name: "Two-factor authentication policy" })).toBeVisible();
  }

  preview() {
    return this.page.getByTestId("policy-preview");
  }
}

/** YYYY-MM-DD (UTC) `days` from now, and how the app writes it in the browser's locale ("1 Dec" in en-GB, "Dec 1" in en-US). */
export function dayFromNow(days: number, locale: string = E2E_LOCALE) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  const iso = d.toISOString().slice(0, 10);
  const sameYear = d.getUTCFullYear() === new Date().getUTCFullYear();
  const label = d.toLocaleDateString(locale, { day: "numeric", month: "short", year: sameYear ? undefined : "numeric", timeZone: "UTC" });
  return { iso, label };
}
