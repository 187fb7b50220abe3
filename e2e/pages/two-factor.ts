import { expect, type Page } from "@playwright/test";
import { Authenticator } from "../helpers/totp";

/** The profile's two-factor section, the enrolment screen and the login's 2FA screen. */
export class TwoFactorPage {
  constructor(readonly page: Page) {}

  async openEnrolment() {
    await this.page.goto("/profile");
    await this.page.getByRole("link", { name: "Add authenticator app" }).click();
    await expect(this.page.getByRole("heading", { name: "Add authenticator app" })).toBeVisible();
  }

  /** Enrols an authenticator app by reading the setup key from the page. Returns the app and any recovery codes shown. */
  async enrolTotp(name = "Authenticator app") {
    await this.openEnrolment();
    const app = new Authenticator(await this.page.getByTestId("totp-secret").innerText());
    const form = this.page.getByRole("form", { name: "Confirm authenticator app" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("6-digit code").fill(await app.nextCode());
    await form.getByRole("button", { name: "Verify and turn on" }).click();
    await expect(this.page.getByTestId("totp-success")).toBeVisible();
    const codesList = this.page.getByTestId("recovery-codes");
    const recoveryCodes = (await codesList.count()) ? (await codesList.locator("li").allInnerTexts()).map((s) => s.trim()) : [];
    return { app, recoveryCodes };
  }

  /** After enrolment: confirm the codes are saved and return to the profile. */
  async finishEnrolment() {
    const saved = this.page.getByLabel("I have saved these recovery codes");
    if (await saved.isVisible()) await saved.check();
    await this.page.getByRole("button", { name: "Back to profile" }).click();
    await expect(this.page.getByRole("heading", { name: "Profile", exact: true })).toBeVisible();
  }

  /** On the login's 2FA screen. */
  async submitTotp(code: string) {
    await expect(this.page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
    await this.page.getByRole("textbox", { name: "Authentication code" }).fill(code);
    await this.page.getByRole("button", { name: "Verify", exact: true }).click();
  }

  async submitRecoveryCode(code: string) {
    await this.page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await this.page.getByRole("textbox", { name: "Recovery code" }).fill(code);
    await this.page.getByRole("button", { name: "Verify recovery code" }).click();
  }

  factorRow(name: string) {
    return this.page.getByTestId("factor-row").filter({ has: this.page.getByTestId("factor-name").getByText(name, { exact: true }) });
  }
}
