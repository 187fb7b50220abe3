/** Fixtures shared by every e2e test: page objects and seeded accounts. */
import { test as base, expect, type Page } from "@playwright/test";
import { latestMail, linkFrom } from "./helpers/mailbox";
import { LoginPage } from "./pages/login-page";
import { ProfilePage } from "./pages/profile-page";
import { TwoFactorPage } from "./pages/two-factor";

export const DEMO_PASSWORD = "acme-demo-password";
export const DEMO = {
  admin: "admin@acme.test",
  agents: ["agent1@acme.test", "agent2@acme.test", "agent3@acme.test", "agent4@acme.test", "agent5@acme.test"],
};

type Fixtures = { loginPage: LoginPage; profilePage: ProfilePage; twoFactor: TwoFactorPage };

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  profilePage: async ({ page }, provide) => provide(new ProfilePage(page)),
  twoFactor: async ({ page }, provide) => provide(new TwoFactorPage(page)),
});

export { expect };

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;

/**
 * A client address of its own for a test. Sign-up is limited per client address (10 an hour), as real
 * visitors each have theirs; the e2e server has no proxy in front, so the X-Forwarded-For a test sends
 * is taken as its client address (README: production runs behind a proxy that appends the real one).
 */
export const testClientAddress = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 254) + 1).join(".")}`;

export type SignupForm = { org: string; name: string; email: string; password: string };

/** Fills and sends the sign-up form (from `clientAddress`, a fresh one by default); ends on "Check your email" unless `expectSent` is false. */
export async function submitSignup(page: Page, form: SignupForm, { clientAddress = testClientAddress(), expectSent = true } = {}) {
  await page.setExtraHTTPHeaders({ "x-forwarded-for": clientAddress });
  try {
    await page.goto("/signup");
    await page.getByLabel("Organisation name").fill(form.org);
    await page.getByLabel("Your name").fill(form.name);
    await page.getByLabel("Work email").fill(form.email);
    await page.getByLabel("Password").fill(form.password);
    await page.getByRole("button", { name: "Create organisation" }).click();
    if (expectSent) await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  } finally {
    await page.setExtraHTTPHeaders({});
  }
}

/** The path of the newest sign-up link emailed to `email` (newer than mail id `after`, if given). */
export async function signupLinkFor(page: Page, email: string, after?: number) {
  return linkFrom(await latestMail(page.request, email, { subject: "Confirm your email address", after }), "/signup/confirm/");
}

/** Opens the newest sign-up link emailed to `email` and confirms it; ends on "Your organisation is ready". */
export async function confirmSignup(page: Page, email: string) {
  await page.goto(await signupLinkFor(page, email));
  await page.getByRole("button", { name: "Confirm and create organisation" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation is ready — sign in" })).toBeVisible();
}

/**
 * Signs up a brand-new organisation through the emailed link and signs its admin in (no 2FA yet): a
 * fresh user for tests that change state. `input`: a prefix for the email, or names and password.
 */
export async function signUpFreshAdmin(page: Page, input: string | { prefix?: string; org?: string; name?: string; password?: string } = "admin") {
  const { prefix = "admin", ...rest } = typeof input === "string" ? { prefix: input } : input;
  const form = { org: `Org ${prefix}`, name: `Fresh ${prefix}`, password: "a long enough passphrase", ...rest, email: uniqueEmail(prefix) };
  await submitSignup(page, form);
  await confirmSignup(page, form.email);
  await new LoginPage(page).login(form.email, form.password);
  await expect(page.getByTestId("whoami")).toHaveText(`${form.name} · ${form.org}`);
  return { email: form.email, password: form.password, org: form.org, name: form.name };
}
