/** Fixtures shared by every e2e test: page objects and seeded accounts; the testers' helpers re-exported. */
import { test as base, expect } from "@playwright/test";
import { LoginPage } from "./pages/login-page";
import { ProfilePage } from "./pages/profile-page";
import { SecurityPage } from "./pages/security-page";
import { TwoFactorPage } from "./pages/two-factor";

export { codeFrom, latestCode, latestMail, mailCursor, type DevMail, type MailQuery } from "./helpers/mailbox";
export { Authenticator, totpCode } from "./helpers/totp";

export const DEMO_PASSWORD = "acme-demo-password";
export const DEMO = {
  admin: "admin@acme.test",
  agents: ["agent1@acme.test", "agent2@acme.test", "agent3@acme.test", "agent4@acme.test", "agent5@acme.test"],
};

type Fixtures = { loginPage: LoginPage; profilePage: ProfilePage; twoFactor: TwoFactorPage; security: SecurityPage };

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  profilePage: async ({ page }, provide) => provide(new ProfilePage(page)),
  twoFactor: async ({ page }, provide) => provide(new TwoFactorPage(page)),
  security: async ({ page }, provide) => provide(new SecurityPage(page)),
});

export { expect };

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;

/** Signs up a brand-new organisation (its admin has no 2FA yet): a fresh user for tests that change state. */
export async function signUpFreshAdmin(page: import("@playwright/test").Page, prefix = "admin") {
  const email = uniqueEmail(prefix);
  const password = "a long enough passphrase";
  await page.goto("/signup");
  await page.getByLabel("Organisation name").fill(`Org ${prefix}`);
  await page.getByLabel("Your name").fill(`Fresh ${prefix}`);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByTestId("whoami")).toBeVisible();
  return { email, password };
}
