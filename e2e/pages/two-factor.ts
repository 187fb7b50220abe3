import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { latestCode, mailCursor } from "../helpers/mailbox";
import { Authenticator } from "../helpers/totp";

/** Security › Two-factor, the enrolment screens (and their success dialog) and the login's 2FA screen. */
export class TwoFactorPage {
  constructor(readonly page: Page) {}

  async openEnrolment() {
    await this.page.goto("/security/two-factor");
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

  /** The success dialog shown once a method is on (recovery codes inside for the first one). */
  successDialog() {
    return this.page.getByRole("dialog", { name: "Two-factor authentication is on" });
  }

  /** After enrolment: confirm the codes are saved and close the success dialog ("Done"): back on Security › Two-factor. */
  async finishEnrolment() {
    const dialog = this.successDialog();
    await expect(dialog).toBeVisible(); // waits for the code to be accepted
    const saved = dialog.getByLabel("I have saved these recovery codes");
    if (await saved.count()) await saved.check();
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
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

  // --- Email codes -------------------------------------------------------------------------------

  async openEmailEnrolment() {
    await this.page.goto("/security/two-factor");
    await this.page.getByRole("link", { name: "Set up email authentication" }).click();
    await expect(this.page.getByRole("heading", { name: "Set up email authentication" })).toBeVisible();
  }

  /** Sends the enrolment code (after naming the factor); returns the code read from the dev mailbox. */
  async sendEmailEnrolmentCode(request: APIRequestContext, email: string, name = "Email") {
    const cursor = await mailCursor(request, email);
    const form = this.page.getByRole("form", { name: "Set up email authentication" });
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Send verification code" }).click();
    await expect(this.page.getByTestId("email-sent")).toBeVisible();
    return latestCode(request, email, { after: cursor });
  }

  async confirmEmailEnrolment(code: string) {
    const form = this.page.getByRole("form", { name: "Confirm email authentication" });
    await form.getByLabel("6-digit code").fill(code);
    await form.getByRole("button", { name: "Verify and turn on" }).click();
  }

  /** Sets up email codes from the profile. Returns any recovery codes shown (first factor only). */
  async enrolEmail(request: APIRequestContext, email: string, name = "Email") {
    await this.openEmailEnrolment();
    await this.confirmEmailEnrolment(await this.sendEmailEnrolmentCode(request, email, name));
    await expect(this.page.getByTestId("email-success")).toBeVisible();
    const codesList = this.page.getByTestId("recovery-codes");
    return (await codesList.count()) ? (await codesList.locator("li").allInnerTexts()).map((s) => s.trim()) : [];
  }

  /** On the login's 2FA screen: switch to email codes (the code is sent when the form opens). */
  async chooseEmail() {
    await this.page.getByRole("button", { name: "Email me a code" }).click();
    await expect(this.page.getByRole("form", { name: "Sign in with an emailed code" })).toBeVisible();
  }

  async submitEmailCode(code: string) {
    const form = this.page.getByRole("form", { name: "Sign in with an emailed code" });
    await form.getByRole("textbox", { name: "Code from the email" }).fill(code);
    await form.getByRole("button", { name: "Verify code" }).click();
  }

  async requestNewEmailCode() {
    await this.page.getByRole("form", { name: "Send a new code" }).getByRole("button", { name: "Send a new code" }).click();
  }

  factorRow(name: string) {
    return this.page.getByTestId("factor-row").filter({ has: this.page.getByTestId("factor-name").getByText(name, { exact: true }) });
  }
}
