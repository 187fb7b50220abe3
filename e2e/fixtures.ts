/** Fixtures shared by every e2e test: page objects and seeded accounts; the testers' helpers re-exported. */
import { test as base, expect, type Page } from "@playwright/test";
import { latestMail, linkFrom } from "./helpers/mailbox";
import { RawActions, freshLoopbackAddress } from "./helpers/raw-actions";
import { AdminPage } from "./pages/admin";
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

type Fixtures = { loginPage: LoginPage; profilePage: ProfilePage; twoFactor: TwoFactorPage; security: SecurityPage; adminPage: AdminPage };

export const test = base.extend<Fixtures>({
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  profilePage: async ({ page }, provide) => provide(new ProfilePage(page)),
  twoFactor: async ({ page }, provide) => provide(new TwoFactorPage(page)),
  security: async ({ page }, provide) => provide(new SecurityPage(page)),
  adminPage: async ({ page }, provide) => provide(new AdminPage(page)),
});

export { expect };

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;

export type SignupForm = { org: string; name: string; email: string; password: string };

/** Fills and sends the sign-up form in the browser; ends on "Check your email" unless `expectSent` is false. */
export async function submitSignup(page: Page, form: SignupForm, { expectSent = true } = {}) {
  await page.goto("/signup");
  await page.getByLabel("Organisation name").fill(form.org);
  await page.getByLabel("Your name").fill(form.name);
  await page.getByLabel("Work email").fill(form.email);
  await page.getByLabel("Password").fill(form.password);
  await page.getByRole("button", { name: "Create organisation" }).click();
  if (expectSent) await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

let raw: Promise<RawActions> | undefined;

/**
 * Sends the sign-up form over HTTP from a loopback address of its own, as a visitor on their own machine
 * would: sign-up is limited per client address (10 an hour), and the browsers of every test share
 * 127.0.0.1. Resolves to the response body.
 */
export async function requestSignup(form: SignupForm, from = freshLoopbackAddress()) {
  raw ??= RawActions.create();
  return (await raw).signup(from, form);
}

/** The path of the newest sign-up link emailed to `email` (newer than mail id `after`, if given). */
export async function signupLinkFor(page: Page, email: string, after?: number) {
  return linkFrom(await latestMail(page.request, email, { subject: "Confirm your email address", after }), "/signup/confirm/");
}

/** Opens the newest sign-up link emailed to `email` and confirms it with the password chosen; ends on "Your organisation is ready". */
export async function confirmSignup(page: Page, email: string, password: string) {
  await page.goto(await signupLinkFor(page, email));
  await page.getByRole("form", { name: "Confirm sign-up" }).getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Confirm and create organisation" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation is ready — sign in" })).toBeVisible();
}

/**
 * Signs up a brand-new organisation through the emailed link and signs its admin in (no 2FA yet): a
 * fresh user for tests that change state. `input`: a prefix for the email, or names and password.
 */
export async function signUpFreshAdmin(
  page: Page,
  input: string | { prefix?: string; org?: string; name?: string; password?: string } = "admin",
) {
  const { prefix = "admin", ...rest } = typeof input === "string" ? { prefix: input } : input;
  const form = { org: `Org ${prefix}`, name: `Fresh ${prefix}`, password: "a long enough passphrase", ...rest, email: uniqueEmail(prefix) };
  expect(await requestSignup(form)).not.toContain("Too many");
  await confirmSignup(page, form.email, form.password);
  await new LoginPage(page).login(form.email, form.password);
  await expect(page.getByTestId("whoami")).toHaveText(`${form.name} · ${form.org}`);
  return { email: form.email, password: form.password, org: form.org, name: form.name };
}
