import type { Browser, Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { latestMail } from "./helpers/mailbox";
import { decodeQr } from "./helpers/qr";
import { Authenticator } from "./helpers/totp";
import { AdminPage, dayFromNow } from "./pages/admin";
import { TwoFactorPage } from "./pages/two-factor";

/** The admin adds a member; the member accepts the emailed invitation in their own browser and sets a password. */
async function inviteAndAccept(adminPage: Page, browser: Browser, input: { name: string; requireMfa: boolean }) {
  const email = uniqueEmail(input.name.split(" ")[0]!.toLowerCase());
  await new AdminPage(adminPage).addUser({ name: input.name, email, requireMfa: input.requireMfa });
  const mail = await latestMail(adminPage.request, email);
  const link = mail.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];
  const context = await browser.newContext();
  const member = await context.newPage();
  await member.goto(new URL(link).pathname);
  const password = `${input.name} long passphrase`;
  await member.getByLabel("Password", { exact: true }).fill(password);
  await member.getByLabel("Confirm password").fill(password);
  await member.getByRole("button", { name: "Set password" }).click();
  await expect(member.getByRole("heading", { name: "Sign in" })).toBeVisible();
  return { email, password, member, context };
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

async function submitPassword(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an agent added with Require 2FA must enrol by QR code at first login, then cannot turn 2FA off", async ({
  page,
  browser,
  loginPage,
}) => {
  test.setTimeout(180_000);
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  const { email, password, member, context } = await inviteAndAccept(page, browser, { name: "Quinn Required", requireMfa: true });

  await submitPassword(member, email, password);
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(member.getByRole("button", { name: /Skip until/ })).toHaveCount(0);
  // No session exists yet: the app is out of reach.
  const session = await (await member.request.get("/api/auth/session")).json();
  expect(session?.claims ?? null).toBeNull();

  // Scan the QR code as a phone would: its secret is the one the app will use.
  const uri = new URL((await decodeQr(member.getByTestId("totp-qr")))!);
  expect(uri.searchParams.get("secret")).toBe((await member.getByTestId("totp-secret").innerText()).replace(/ /g, ""));
  await member.screenshot({ path: "e2e/screenshots/login-setup-required.png", fullPage: true });
  const app = new Authenticator(uri.searchParams.get("secret")!);
  await member.getByLabel("6-digit code").fill(await app.nextCode());
  await member.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(member.getByTestId("totp-success")).toBeVisible();
  await expect(member.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await member.getByLabel("I have saved these recovery codes").check();
  await member.getByRole("button", { name: "Continue" }).click();
  await expect(member.getByTestId("home-name")).toHaveText("Quinn Required");

  // Enforced by the admin: Security › Two-factor offers no way to turn 2FA off.
  await member.goto("/security/two-factor");
  await expect(member.getByTestId("mfa-required-note")).toContainText("Your administrator requires two-factor authentication");
  await expect(member.getByText("Turn off two-factor authentication")).toHaveCount(0);
  const twoFactor = new TwoFactorPage(member);
  const row = twoFactor.factorRow("Authenticator app");
  await row.locator("summary", { hasText: "Remove" }).click();
  await row.getByLabel("Password").fill(password);
  await row.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(row.getByText(/administrator requires two-factor authentication/)).toBeVisible();

  // Next login: the usual 2FA step.
  await signOut(member);
  await submitPassword(member, email, password);
  await twoFactor.submitTotp(await app.nextCode());
  await expect(member.getByTestId("home-name")).toHaveText("Quinn Required");
  await context.close();
});

test("the admin enforces 2FA on an existing agent, who must set it up at the next login", async ({
  page,
  browser,
  loginPage,
  adminPage: admin,
}) => {
  test.setTimeout(180_000);
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  const { email, password, member, context } = await inviteAndAccept(page, browser, { name: "Rory Later", requireMfa: false });
  await submitPassword(member, email, password);
  await expect(member.getByTestId("home-name")).toHaveText("Rory Later");

  await admin.gotoMembers();
  await admin.row(email).getByRole("switch", { name: "Enforce 2FA for Rory Later" }).click();
  await expect(admin.row(email).getByRole("switch", { name: "Enforce 2FA for Rory Later" })).toHaveAttribute("aria-checked", "true");

  // Still signed in: the app now offers nothing but enrolment.
  await member.goto("/");
  await expect(member).toHaveURL(/\/security\/two-factor\?setup=required/);
  await expect(member.getByText("Set up two-factor authentication to continue")).toBeVisible();

  await signOut(member);
  await submitPassword(member, email, password);
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(member.getByRole("button", { name: /Skip until/ })).toHaveCount(0);
  await context.close();
});

test("with 2FA required for everyone and a grace date, an agent skips; once the grace period is removed they cannot", async ({
  page,
  browser,
  adminPage: admin,
}) => {
  test.setTimeout(240_000);
  await signUpFreshAdmin(page, "grace");
  const twoFactor = new TwoFactorPage(page);
  await twoFactor.enrolTotp("Admin phone");
  await twoFactor.finishEnrolment();
  const { email, password, member, context } = await inviteAndAccept(page, browser, { name: "Sam Grace", requireMfa: false });

  const grace = dayFromNow(7);
  await admin.gotoSettings();
  await page.getByLabel("Require two-factor authentication for everyone in the organisation").check();
  await page.getByLabel("Members may skip setup until (optional)").fill(grace.iso);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("Settings saved.");

  await submitPassword(member, email, password);
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(member.getByText(`You can skip this until ${grace.label}`)).toBeVisible();
  await member.screenshot({ path: "e2e/screenshots/login-setup-grace.png", fullPage: true });
  await member.getByRole("button", { name: `Skip until ${grace.label}` }).click();
  await expect(member.getByTestId("home-name")).toHaveText("Sam Grace");
  await expect(member.getByTestId("grace-banner")).toContainText(`until ${grace.label}`);
  await member.screenshot({ path: "e2e/screenshots/grace-banner.png", fullPage: true });

  // The admin ends the grace period while the member is still signed in (the session that skipped).
  await admin.gotoSettings();
  await page.getByLabel("Members may skip setup until (optional)").fill("");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("Settings saved.");

  // That session now gets enrolment only, on its very next request, like an enforced member's.
  await member.goto("/");
  await expect(member).toHaveURL(/\/security\/two-factor\?setup=required/);
  await expect(member.getByText("Set up two-factor authentication to continue")).toBeVisible();
  await expect(member.getByTestId("grace-banner")).toHaveCount(0);
  // Server actions refuse it too (changing the name is not part of enrolment).
  await member.goto("/security/account");
  const nameForm = member.getByRole("form", { name: "Your name" });
  await nameForm.getByLabel("Name", { exact: true }).fill("Sam Renamed");
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(nameForm.getByText("Set up two-factor authentication first: your administrator requires it.")).toBeVisible();
  await signOut(member);

  // Signing in again: skipping is no longer offered.
  await submitPassword(member, email, password);
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(member.getByText("Set it up now to continue.")).toBeVisible();
  await expect(member.getByRole("button", { name: /Skip until/ })).toHaveCount(0);
  await context.close();
});

test("when only email codes are allowed, a required agent enrols by emailed code at first login", async ({
  page,
  browser,
  adminPage: admin,
}) => {
  test.setTimeout(180_000);
  await signUpFreshAdmin(page, "emailonly");
  await admin.gotoSettings();
  await page.getByLabel("Authenticator app").uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("Settings saved.");
  const { email, password, member, context } = await inviteAndAccept(page, browser, { name: "Eli Email", requireMfa: true });

  await submitPassword(member, email, password);
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(member.getByTestId("totp-qr")).toHaveCount(0);
  const twoFactor = new TwoFactorPage(member);
  const code = await twoFactor.sendEmailEnrolmentCode(member.request, email, "Work email");
  await member.screenshot({ path: "e2e/screenshots/login-setup-email.png", fullPage: true });
  await twoFactor.confirmEmailEnrolment(code);
  await expect(member.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await member.getByLabel("I have saved these recovery codes").check();
  await member.getByRole("button", { name: "Continue" }).click();
  await expect(member.getByTestId("home-name")).toHaveText("Eli Email");
  await context.close();
});
