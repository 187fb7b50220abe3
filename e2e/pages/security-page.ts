import { expect, type Page } from "@playwright/test";

/** The Security area: Account · Two-factor · Sessions and browsers · Login history. */
export const SECURITY = {
  account: { path: "/security/account", heading: "Account" },
  twoFactor: { path: "/security/two-factor", heading: "Two-factor authentication" },
  sessions: { path: "/security/sessions", heading: "Sessions and browsers" },
  loginHistory: { path: "/security/login-history", heading: "Login history" },
  notifications: { path: "/security/notifications", heading: "Notifications" },
} as const;

export class SecurityPage {
  constructor(readonly page: Page) {}

  /** Opens one of the Security pages and waits for its heading. */
  async goto(section: keyof typeof SECURITY) {
    await this.page.goto(SECURITY[section].path);
    await this.expectOn(section);
  }

  async expectOn(section: keyof typeof SECURITY) {
    await expect(this.page.getByRole("heading", { level: 1, name: SECURITY[section].heading, exact: true })).toBeVisible();
  }

  /** The Security sub-navigation. */
  nav() {
    return this.page.getByRole("navigation", { name: "Security" });
  }

  /** The header's menu button, under the signed-in person's name (on phones the header's only menu). */
  menuButton() {
    return this.page.getByRole("button", { name: /: menu$/ });
  }

  /** The menu's panel (a popover: hidden until the button opens it). */
  menu() {
    return this.page.getByTestId("app-menu");
  }

  async openMenu() {
    await this.menuButton().click();
    await expect(this.menu()).toBeVisible();
  }
}
