import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { latestCode, mailCursor } from "../helpers/mailbox";
import type { Authenticator } from "../helpers/totp";

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

  /** Waits for the signed-in app: its header names who is signed in (on phones too, where Sign out is in the menu). */
  async expectSignedIn() {
    await expect(this.page.getByTestId("whoami")).toBeVisible();
  }

  /** Full login for a user without 2FA; ends on the signed-in home page. */
  async login(email: string, password: string) {
    await this.goto();
    await this.submitPassword(email, password);
    await this.expectSignedIn();
  }

  /**
   * Full login with an authenticator app (from `new Authenticator(setupKey)`, helpers/totp.ts); ends
   * signed in. Works whether the app is the only method or one of several (it is offered first).
   */
  async loginWithTotp(email: string, password: string, authenticator: Authenticator) {
    await this.goto();
    await this.submitPassword(email, password);
    const code = this.page.getByRole("textbox", { name: "Authentication code" });
    const other = this.page.getByRole("button", { name: "Use your authenticator app instead" });
    await expect(code.or(other)).toBeVisible();
    if (await other.isVisible()) await other.click();
    await code.fill(await authenticator.nextCode());
    await this.page.getByRole("button", { name: "Verify", exact: true }).click();
    await this.expectSignedIn();
  }

  /**
   * Full login with a code from the dev mailbox; ends signed in. The mail cursor is taken before the
   * password is sent: when email is the user's only method the code goes out as the password step
   * finishes, so a cursor taken afterwards could miss it. With an app as well, it asks for the email.
   */
  async loginWithEmailCode(email: string, password: string, request: APIRequestContext) {
    const cursor = await mailCursor(request, email);
    await this.goto();
    await this.submitPassword(email, password);
    const form = this.page.getByRole("form", { name: "Sign in with an emailed code" });
    const choose = this.page.getByRole("button", { name: "Email me a code" });
    await expect(form.or(choose)).toBeVisible();
    if (await choose.isVisible()) await choose.click();
    const code = await latestCode(request, email, { after: cursor });
    await form.getByRole("textbox", { name: "Code from the email" }).fill(code);
    await form.getByRole("button", { name: "Verify code" }).click();
    await this.expectSignedIn();
  }

  async logout() {
    await this.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }

  formError() {
    return this.page.getByTestId("form-error");
  }
}
