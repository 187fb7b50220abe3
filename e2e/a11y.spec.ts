/**
 * axe-core on every main page, signed out and signed in (agent and admin), in light and dark mode:
 * no serious or critical violation. Dialogs are checked while open.
 */
import type { Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { expectAccessible } from "./helpers/axe";
import { latestMail } from "./helpers/mailbox";
import { AdminPage } from "./pages/admin";

async function check(page: Page, path: string, heading: string | RegExp) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expectAccessible(page, path);
}

test("signed out: sign-in, sign-up and the 404 page", async ({ page }) => {
  await check(page, "/login", "Sign in");
  await check(page, "/signup", /Create/);
  await check(page, "/no-such-page", "Page not found");
  await check(page, "/login/verify", "Sign-in expired");
});

test("signed in as an agent: home and every Security page", async ({ page, loginPage }) => {
  await loginPage.login(DEMO.agents[0]!, DEMO_PASSWORD);
  await check(page, "/", /Welcome/);
  await check(page, "/security/account", "Account");
  await check(page, "/security/two-factor", "Two-factor authentication");
  await check(page, "/security/two-factor/authenticator", "Add authenticator app");
  await check(page, "/security/two-factor/email", "Set up email authentication");
  await check(page, "/security/two-factor/security-key", "Add a security key or passkey");
  await check(page, "/security/sessions", "Sessions and browsers");
  await check(page, "/security/login-history", "Login history");
  await check(page, "/admin/members/00000000-0000-4000-8000-000000000000", /Welcome/); // an agent is sent home
  // The user menu, open.
  await page.getByRole("button", { name: /: menu$/ }).click();
  await expect(page.getByRole("link", { name: "Login history" })).toBeVisible();
  await expectAccessible(page, "user menu");
});

test("signed in as an admin: the organisation pages, the audit log, a member, the Deactivate dialog", async ({ page, loginPage }) => {
  test.setTimeout(120_000); // the policy page also holds the digest settings and the danger zone: a longer scan
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await check(page, "/admin", "Organisation");
  await check(page, "/admin/settings", "Two-factor authentication policy");
  await page.getByLabel("Require two-factor authentication for everyone in the organisation").check();
  await expect(page.getByRole("button", { name: "Save settings" })).toBeDisabled();
  await expectAccessible(page, "/admin/settings, requiring 2FA without own 2FA");
  await check(page, "/admin/members", "Members");
  await check(page, "/admin/members/new", "Add user");
  await check(page, "/admin/audit", "Audit log");
  await check(page, "/admin/members/00000000-0000-4000-8000-000000000000", "Page not found");
  await expect(page.getByRole("main")).toHaveCount(1);
  await page.goto("/admin/members");
  await page.getByRole("link", { name: "Manage Ben Agent" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ben Agent" })).toBeVisible();
  await expectAccessible(page, "member page");
  await page.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("dialog", { name: "Deactivate Ben Agent?" })).toBeVisible();
  await expectAccessible(page, "Deactivate dialog");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("the sign-in's 2FA step and the enrolment success dialog", async ({ page, loginPage, twoFactor }) => {
  test.setTimeout(120_000);
  const { email, password } = await signUpFreshAdmin(page, "a11y");
  await twoFactor.openEnrolment();
  await expectAccessible(page, "add authenticator app");
  await twoFactor.page.getByRole("form", { name: "Confirm authenticator app" }).getByLabel("6-digit code").fill("000000");
  await twoFactor.page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText(/That code did not match/)).toBeVisible();
  await expectAccessible(page, "add authenticator app, wrong code");
  const { app } = await twoFactor.enrolTotp("Phone");
  await expect(twoFactor.successDialog()).toBeVisible();
  await expectAccessible(page, "success dialog with recovery codes");
  await twoFactor.finishEnrolment();
  await expectAccessible(page, "two-factor page, on");
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await expectAccessible(page, "/login/verify (app)");
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await expectAccessible(page, "/login/verify (recovery code)");
  await page.getByRole("button", { name: "Use your authenticator app instead" }).click();
  await twoFactor.submitTotp(await app.nextCode());
  await loginPage.expectSignedIn();
});

test("the invitation and the sign-in's forced 2FA setup (its success card: enrolment-flows.spec.ts)", async ({
  page,
  browser,
  loginPage,
}) => {
  test.setTimeout(120_000);
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  const email = uniqueEmail("a11ysetup");
  await new AdminPage(page).addUser({ name: "Axe Setup", email, requireMfa: true });
  const link = (await latestMail(page.request, email)).text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];
  const context = await browser.newContext();
  const member = await context.newPage();
  await member.goto(new URL(link).pathname);
  await expectAccessible(member, "/invite");
  await member.getByLabel("Password", { exact: true }).fill("axe setup passphrase");
  await member.getByLabel("Confirm password").fill("axe setup passphrase");
  await member.getByRole("button", { name: "Set password" }).click();
  await member.getByLabel("Email").fill(email);
  await member.getByLabel("Password").fill("axe setup passphrase");
  await member.getByRole("button", { name: "Sign in" }).click();
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expectAccessible(member, "/login/setup");
  await context.close();
});
