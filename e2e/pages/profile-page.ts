import { expect, type Page } from "@playwright/test";

/** Security › Account (the old profile page's name and password forms). */
export class ProfilePage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/security/account");
    await expect(this.page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
  }

  async changeName(name: string) {
    const form = this.page.getByRole("form", { name: "Your name" });
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Save name" }).click();
    await expect(form.getByText("Your name was saved.")).toBeVisible();
  }

  async changePassword(current: string, next: string, confirm = next) {
    const form = this.page.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill(current);
    await form.getByLabel("New password", { exact: true }).fill(next);
    await form.getByLabel("Confirm new password").fill(confirm);
    await form.getByRole("button", { name: "Change password" }).click();
  }
}
