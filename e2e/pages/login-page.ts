import { expect, type Page } from "@playwright/test";

export class LoginPage {
  constructor(readonly page: Page) {}

  async goto(callbackUrl?: string) {
    await this.page.goto(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }

  /** Fills the password step and submits it. */
  async submitPassword(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Full login for a user without 2FA; ends on the signed-in home page. */
  async login(email: string, password: string) {
    await this.goto();
    await this.submitPassword(email, password);
    await expect(this.page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  }

  async logout() {
    await this.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }

  formError() {
    return this.page.getByTestId("form-error");
  }
}
