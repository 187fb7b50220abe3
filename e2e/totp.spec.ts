import { expect, signUpFreshAdmin, test } from "./fixtures";
import { decodeQr } from "./helpers/qr";
import { Authenticator } from "./helpers/totp";

test("a user enrols an authenticator app, signs in with codes and a recovery code, manages and turns off 2FA", async ({
  page,
  loginPage,
  twoFactor,
}) => {
  test.setTimeout(240_000);
  const { email, password } = await signUpFreshAdmin(page, "totp");

  // Enrol: the QR code encodes the same secret as the setup key shown beside it.
  await twoFactor.openEnrolment();
  const setupKey = await page.getByTestId("totp-secret").innerText();
  expect(setupKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  const uri = await decodeQr(page.getByTestId("totp-qr"));
  expect(uri).not.toBeNull();
  const parsed = new URL(uri!);
  expect(parsed.protocol).toBe("otpauth:");
  expect(parsed.searchParams.get("secret")).toBe(setupKey.replace(/ /g, ""));
  expect(parsed.searchParams.get("issuer")).toBe("Guardian (Org totp)");
  expect(decodeURIComponent(parsed.pathname)).toBe(`/Guardian (Org totp):${email}`);
  const codeInput = page.getByLabel("6-digit code");
  await expect(codeInput).toHaveAttribute("inputmode", "numeric");
  await expect(codeInput).toHaveAttribute("autocomplete", "one-time-code");
  await page.screenshot({ path: "e2e/screenshots/totp-enrol.png", fullPage: true });

  const app = new Authenticator(setupKey);
  await page.getByLabel("Name").fill("Pixel phone");
  await codeInput.fill("000000");
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText(/That code did not match/)).toBeVisible();
  const code = await app.nextCode();
  await codeInput.fill(`${code.slice(0, 3)} ${code.slice(3)}`); // pasted with a space
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByTestId("totp-success")).toContainText("Authenticator app added");
  const recoveryCodes = (await page.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((s) => s.trim());
  expect(recoveryCodes).toHaveLength(10);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download .txt" }).click();
  expect((await download).suggestedFilename()).toBe("recovery-codes.txt");
  await page.screenshot({ path: "e2e/screenshots/totp-recovery-codes.png", fullPage: true });
  await expect(page.getByRole("button", { name: "Done" })).toBeDisabled();
  await page.getByLabel("I have saved these recovery codes").check();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(twoFactor.factorRow("Pixel phone")).toBeVisible();
  await expect(page.getByTestId("mfa-status")).toHaveText("On");
  await page.screenshot({ path: "e2e/screenshots/profile-2fa-on.png", fullPage: true });

  // Log in with a code: the password alone gives the 2FA screen, not a session.
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await twoFactor.submitTotp("123456");
  await expect(page.getByText("That code is not valid.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/login-2fa-error.png", fullPage: true });
  await twoFactor.submitTotp(await app.nextCode());
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  // Log in with a recovery code.
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await twoFactor.submitRecoveryCode(recoveryCodes[0]!);
  await expect(page.getByTestId("recovery-accepted")).toContainText("You have 9 recovery codes left.");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  // Regenerate recovery codes (password required).
  await page.goto("/security/two-factor");
  await expect(page.getByTestId("recovery-remaining")).toContainText("9 of 10");
  await page.getByText("Generate new recovery codes").click();
  const regen = page.getByRole("form", { name: "Generate new recovery codes" });
  await regen.getByLabel("Password").fill("not my password");
  await regen.getByRole("button", { name: "Generate new codes" }).click();
  await expect(regen.getByText("Incorrect password.")).toBeVisible();
  await regen.getByLabel("Password").fill(password);
  await regen.getByRole("button", { name: "Generate new codes" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  const fresh = (await page.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((s) => s.trim());
  expect(fresh).toHaveLength(10);
  expect(fresh).not.toContain(recoveryCodes[1]);
  await page.getByLabel("I have saved these recovery codes").check();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("recovery-remaining")).toContainText("10 of 10");

  // A second authenticator, rename, remove (password required).
  const second = await twoFactor.enrolTotp("Old tablet");
  expect(second.recoveryCodes).toHaveLength(0);
  await twoFactor.finishEnrolment();
  const row = twoFactor.factorRow("Old tablet");
  await row.locator("summary", { hasText: "Rename" }).click();
  await row.getByLabel("New name").fill("Spare tablet");
  await row.getByRole("button", { name: "Save name" }).click();
  await expect(twoFactor.factorRow("Spare tablet")).toBeVisible();
  const spare = twoFactor.factorRow("Spare tablet");
  await spare.locator("summary", { hasText: "Remove" }).click();
  await spare.getByLabel("Password").fill(password);
  await spare.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByText("The second factor was removed.")).toBeVisible();
  await expect(twoFactor.factorRow("Spare tablet")).toHaveCount(0);
  await expect(twoFactor.factorRow("Pixel phone")).toBeVisible();

  // Turn 2FA off with the password; the next login needs only the password.
  await page.getByText("Turn off two-factor authentication").click();
  const off = page.getByRole("form", { name: "Turn off two-factor authentication" });
  await off.getByLabel("Password").fill(password);
  await off.getByRole("button", { name: "Turn off 2FA" }).click();
  await expect(page.getByText("Two-factor authentication is off.")).toBeVisible();
  await expect(page.getByTestId("mfa-status")).toHaveText("Off");
  await loginPage.logout();
  await loginPage.login(email, password);
});

test("the 2FA step tells a reused code from a wrong one, counts down from the 7th wrong code and says when it locks", async ({
  page,
  loginPage,
  twoFactor,
}) => {
  test.setTimeout(180_000);
  const { email, password } = await signUpFreshAdmin(page, "countdown");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();

  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  const used = await app.nextCode();
  await twoFactor.submitTotp(used);
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  /**
   * Submits a code and waits until the form has taken the answer in (the same message twice in a row
   * looks the same): the request went out, and the button is back from "Verifying…". Typing earlier
   * would be wiped by the form's reset when the previous answer lands.
   */
  const submit = async (code: string) => {
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/login/verify");
    await twoFactor.submitTotp(code);
    await answered;
    await expect(page.getByRole("button", { name: "Verify", exact: true })).toBeEnabled();
  };
  // The code of the previous sign-in: already used, and said so (it is not counted as a wrong code).
  await submit(used);
  await expect(page.getByText("This code was already used. Wait for the next code in your app.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/login-2fa-code-used.png", fullPage: true });

  for (let i = 1; i <= 6; i++) await submit("000000");
  await expect(
    page.getByText("That code is not valid. Enter the current code from your authenticator app.", { exact: true }),
  ).toBeVisible();
  await submit("000000");
  await expect(page.getByText("3 tries left before two-step sign-in is locked for 15 minutes.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/login-2fa-tries-left.png", fullPage: true });
  await submit("000000");
  await expect(page.getByText("2 tries left before two-step sign-in is locked for 15 minutes.")).toBeVisible();
  await submit("000000");
  await expect(page.getByText("1 try left before two-step sign-in is locked for 15 minutes.")).toBeVisible();
  // The tenth wrong code: its own answer is the lockout, not "not valid".
  await submit("000000");
  await expect(loginPage.formError()).toHaveText(
    "Too many incorrect codes. For your security, two-step sign-in is locked for 15 minutes. Try again later or contact your administrator.",
  );
  await expect(page.getByText(/That code is not valid/)).toHaveCount(0);
  await page.screenshot({ path: "e2e/screenshots/login-2fa-locked.png", fullPage: true });
  // Even the right code is refused now.
  await submit(await app.nextCode());
  await expect(loginPage.formError()).toContainText("Too many incorrect codes.");
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toHaveCount(0);
});
