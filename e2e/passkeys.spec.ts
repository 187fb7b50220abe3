import type { Browser, Page } from "@playwright/test";
import { expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { latestMail } from "./helpers/mailbox";
import { addVirtualAuthenticator } from "./helpers/webauthn";
import { AdminPage } from "./pages/admin";
import { LoginPage } from "./pages/login-page";

/** The admin adds a member; the member accepts the emailed invitation in their own browser and sets a password. */
async function inviteAndAccept(adminPage: Page, browser: Browser, input: { name: string; role: "Agent" | "Admin" }) {
  const email = uniqueEmail(input.name.split(" ")[0]!.toLowerCase());
  await new AdminPage(adminPage).addUser({ name: input.name, email, role: input.role, requireMfa: false });
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

test("a member adds a security key in Security › Two-factor, signs out and signs in with it", async ({ page, loginPage, twoFactor }) => {
  const { email, password } = await signUpFreshAdmin(page, "passkey");
  const key = await addVirtualAuthenticator(page);

  await page.goto("/security/two-factor");
  await page.getByRole("link", { name: "Add a security key or passkey" }).click();
  await expect(page.getByRole("heading", { name: "Add a security key or passkey" })).toBeVisible();
  await page.getByLabel("Name this key").fill("MacBook Touch ID");
  await page.screenshot({ path: "e2e/screenshots/passkey-add.png", fullPage: true });
  await page.getByRole("button", { name: "Add security key" }).click();
  await expect(page.getByTestId("webauthn-success")).toBeVisible();
  await expect(twoFactor.successDialog().getByTestId("recovery-codes")).toBeVisible(); // the first method brings recovery codes
  await twoFactor.finishEnrolment();
  await expect(twoFactor.factorRow("MacBook Touch ID")).toContainText("Security key or passkey · added");
  await expect(twoFactor.factorRow("MacBook Touch ID")).toContainText("last used never");
  await expect(page.getByTestId("mfa-status")).toHaveText("On");
  expect(await key.credentials()).toHaveLength(1);
  await page.screenshot({ path: "e2e/screenshots/passkey-listed.png", fullPage: true });

  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  // The key is the only method: it is offered first, with the other ways in below it.
  const form = page.getByRole("form", { name: "Sign in with your security key or passkey" });
  await expect(form).toBeVisible();
  await expect(page.getByRole("button", { name: "Use a recovery code instead" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/passkey-verify.png", fullPage: true });
  await form.getByRole("button", { name: "Use security key" }).click();
  await loginPage.expectSignedIn();

  await page.goto("/security/two-factor");
  await expect(twoFactor.factorRow("MacBook Touch ID")).not.toContainText("last used never");
  await key.remove();
});

test("an admin whose role must use an app or a key is forced to add one at sign-in; email is not offered to them", async ({
  page,
  browser,
  twoFactor,
}) => {
  test.setTimeout(180_000);
  await signUpFreshAdmin(page, "keypolicy");
  await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  const { email, password, member, context } = await inviteAndAccept(page, browser, { name: "Robin Admin", role: "Admin" });

  const admin = new AdminPage(page);
  await admin.gotoSettings();
  await page.getByLabel("Require two-factor authentication for everyone in the organisation").check();
  await page.getByLabel("Admins may use only some of these methods").check();
  await expect(page.getByLabel("Email codes for admins")).not.toBeChecked();
  await expect(page.getByLabel("Security key or passkey for admins")).toBeChecked();
  await expect(admin.preview()).toContainText("1 member has not set up 2FA");
  await page.screenshot({ path: "e2e/screenshots/passkey-policy.png", fullPage: true });
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("Settings saved.");
  await page.goto("/admin");
  await expect(page.getByTestId("policy-methods")).toHaveText(
    "Security key or passkey, Authenticator app, Email codes; admins: Security key or passkey, Authenticator app",
  );

  const key = await addVirtualAuthenticator(member);
  const login = new LoginPage(member);
  await login.goto();
  await login.submitPassword(email, password);
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(member.getByRole("heading", { name: "Security key or passkey" })).toBeVisible();
  await expect(member.getByText("No phone or key? Use email codes instead")).toHaveCount(0);
  await member.screenshot({ path: "e2e/screenshots/passkey-login-setup.png", fullPage: true });
  await member.getByLabel("Name this key").fill("YubiKey 5");
  await member.getByRole("button", { name: "Add security key" }).click();
  const success = member.getByTestId("enrolment-success");
  await expect(success.getByTestId("webauthn-success")).toBeVisible();
  await success.getByLabel("I have saved these recovery codes").check();
  await success.getByRole("button", { name: "Continue" }).click();
  await login.expectSignedIn();
  expect(await key.credentials()).toHaveLength(1);
  await key.remove();
  await context.close();
});
