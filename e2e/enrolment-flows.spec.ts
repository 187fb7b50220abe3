/**
 * Turning 2FA on, as people meet it (issue 13): the forced setup at sign-in ends in a success card
 * (flow 1), Security's set-up ends in a success dialog (flow 6), recovery codes can be printed, copy
 * says when it failed, their wording follows the method (flow 9), and a wrong code keeps the focus in
 * its field with only the specific message (flow 7).
 */
import type { Browser, Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { expectAccessible } from "./helpers/axe";
import { latestMail } from "./helpers/mailbox";
import { Authenticator } from "./helpers/totp";
import { AdminPage } from "./pages/admin";

/** The demo admin adds a member who must use 2FA; the member accepts and sends their password: the setup card. */
async function memberAtForcedSetup(page: Page, browser: Browser) {
  const email = uniqueEmail("setup");
  await new AdminPage(page).addUser({ name: "Sid Setup", email, requireMfa: true });
  const link = (await latestMail(page.request, email)).text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];
  const context = await browser.newContext();
  const member = await context.newPage();
  await member.goto(new URL(link).pathname);
  await member.getByLabel("Password", { exact: true }).fill("sid's long passphrase");
  await member.getByLabel("Confirm password").fill("sid's long passphrase");
  await member.getByRole("button", { name: "Set password" }).click();
  await member.getByLabel("Email").fill(email);
  await member.getByLabel("Password").fill("sid's long passphrase");
  await member.getByRole("button", { name: "Sign in" }).click();
  await expect(member.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  return { member, context };
}

test("forced setup at sign-in: after the app is added the whole card is the success state; 'Start over' before", async ({
  page,
  browser,
  loginPage,
}) => {
  test.setTimeout(120_000);
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  const { member, context } = await memberAtForcedSetup(page, browser);
  await expect(member.getByText("Set it up now to continue.")).toBeVisible();
  await expect(member.getByRole("link", { name: "Start over" })).toHaveAttribute("href", "/login");

  const app = new Authenticator(await member.getByTestId("totp-secret").innerText());
  await member.getByLabel("6-digit code").fill(await app.nextCode());
  await member.getByRole("button", { name: "Verify and turn on" }).click();

  const heading = member.getByRole("heading", { level: 1, name: "Two-factor authentication is on" });
  await expect(heading).toBeFocused();
  await expect(member.getByTestId("totp-success")).toContainText("Authenticator app added");
  // Nothing of the set-up is left: no "set it up now", no email alternative, no skip, no "Not you?".
  const body = member.getByRole("main");
  for (const gone of [
    "Set it up now to continue.",
    "No phone or key? Use email codes instead",
    "Set up two-factor authentication",
    "Not you?",
  ]) {
    await expect(body.getByText(gone, { exact: false })).toHaveCount(0);
  }
  await expect(member.getByRole("button", { name: /Send verification code|Verify and turn on|Skip/ })).toHaveCount(0);
  await expect(member.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await member.screenshot({ path: "e2e/screenshots/login-setup-success.png", fullPage: true });
  await expectAccessible(member, "/login/setup, success");
  await member.getByLabel("I have saved these recovery codes").check();
  await member.getByRole("button", { name: "Continue" }).click();
  await expect(member.getByTestId("home-name")).toHaveText("Sid Setup");
  await context.close();
});

test("Security › Two-factor: a wrong code keeps the focus and the text; success is a dialog that leads back", async ({
  page,
  context,
  twoFactor,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpFreshAdmin(page, "dialog");
  await twoFactor.openEnrolment();
  await expect(page.getByRole("link", { name: "Cancel" })).toBeVisible();
  const form = page.getByRole("form", { name: "Confirm authenticator app" });
  const code = form.getByLabel("6-digit code");
  await code.fill("123 456");
  // A mouse submit: the button, not the field, had the focus.
  await form.getByRole("button", { name: "Verify and turn on" }).click();
  const message = form.getByText(/^That code did not match/);
  await expect(message).toBeVisible();
  await expect(page.getByText("Please correct the highlighted fields.")).toHaveCount(0);
  await expect(page.getByTestId("form-error")).toBeHidden();
  await expect(code).toBeFocused();
  await expect(code).toHaveValue("123 456");
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await expect(code).toHaveAccessibleDescription(/That code did not match/);
  expect(await code.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([0, 7]);
  // Typing replaces the selected code.
  const app = new Authenticator(await page.getByTestId("totp-secret").innerText());
  await page.keyboard.type(await app.nextCode());
  await page.keyboard.press("Enter");

  const dialog = twoFactor.successDialog();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("heading", { name: "Two-factor authentication is on" })).toBeFocused();
  await expect(dialog.getByTestId("totp-success")).toContainText("Authenticator app added");
  await expect(dialog).toContainText("If you lose your phone or your authenticator app");
  // Behind it, the finished set-up no longer offers Cancel.
  await expect(page.getByRole("link", { name: "Cancel", includeHidden: true })).toHaveCount(0);
  // Escape does not lose the codes: the dialog stays until they are confirmed.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeVisible();

  // Copy: the clipboard really has the codes.
  const codes = (await dialog.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((s) => s.trim());
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByTestId("copy-status")).toHaveText("The codes are on your clipboard.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join("\n"));

  // Print: the browser's print is called, and on paper only the codes (and their title) appear.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await dialog.getByRole("button", { name: "Print" }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("recovery-codes")).toBeVisible();
  await expect(page.getByText(`Recovery codes for Org dialog.`)).toBeVisible();
  for (const name of ["Print", "Copy", "Done", "Sign out"]) await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.getByLabel("I have saved these recovery codes")).toBeHidden();
  await expect(page.getByRole("heading", { name: "Add authenticator app" })).toHaveCount(0);
  await page.screenshot({ path: "e2e/screenshots/recovery-codes-print.png" });
  await page.emulateMedia({ media: "screen" });

  // Confirm, then the focus order leads to "Done", which returns to the two-factor page.
  await dialog.getByLabel("I have saved these recovery codes").check();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Done" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByTestId("mfa-status")).toHaveText("On");
  await expect(dialog).toHaveCount(0);

  // A second method: no codes, so the dialog's focus goes straight to "Done".
  await twoFactor.openEnrolment();
  const second = new Authenticator(await page.getByTestId("totp-secret").innerText());
  await page.getByLabel("6-digit code").fill(await second.nextCode());
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(dialog.getByRole("button", { name: "Done" })).toBeFocused();
  await expect(dialog.getByTestId("recovery-codes")).toHaveCount(0);
  await page.keyboard.press("Escape"); // nothing left to save: Escape is fine, and leads on like Done
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
});

test("recovery codes for email codes say so, and a refused clipboard is reported, with the codes selected", async ({
  page,
  request,
  twoFactor,
}) => {
  test.setTimeout(120_000);
  // A browser without the Clipboard API (an insecure origin, an old browser).
  await page.addInitScript(() => Object.defineProperty(navigator, "clipboard", { value: undefined }));
  const { email } = await signUpFreshAdmin(page, "emailcodes");
  await twoFactor.openEmailEnrolment();
  const code = await twoFactor.sendEmailEnrolmentCode(request, email);
  // "Send a new code" waits out the cooldown here too.
  await expect(page.getByRole("form", { name: "Send a new code" }).getByRole("button", { name: "Send a new code" })).toBeDisabled();
  await expect(page.getByTestId("resend-countdown")).toBeVisible();
  // An error about a field the form does not show (a hidden input, tampered with) is shown above the form.
  const factorId = page.getByRole("form", { name: "Confirm email authentication" }).locator('input[name="factorId"]');
  const real = await factorId.inputValue();
  await factorId.evaluate((input: HTMLInputElement) => (input.value = "not-a-set-up"));
  await twoFactor.confirmEmailEnrolment(code);
  await expect(page.getByTestId("form-error")).toHaveText("Start the setup again.");
  await factorId.evaluate((input: HTMLInputElement, value: string) => (input.value = value), real);
  await twoFactor.confirmEmailEnrolment(code);
  const dialog = twoFactor.successDialog();
  await expect(dialog.getByTestId("email-success")).toContainText("Email codes turned on");
  await expect(dialog).toContainText("If you cannot get into your email, each of these codes lets you sign in once.");
  await expect(dialog).not.toContainText("phone");
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByTestId("copy-status")).toHaveText(/^Could not copy to the clipboard\. The codes are selected/);
  await expect(dialog.getByRole("button", { name: "Copied" })).toHaveCount(0);
  const codes = (await dialog.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((s) => s.trim());
  expect((await page.evaluate(() => window.getSelection()?.toString() ?? "")).replace(/\s+/g, " ").trim()).toBe(codes.join(" "));
  await twoFactor.finishEnrolment();
});
