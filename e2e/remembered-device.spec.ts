import { expect, signUpFreshAdmin, test } from "./fixtures";

test("a remembered browser skips the second factor (not the password) until it is forgotten", async ({ page, loginPage, twoFactor }) => {
  test.setTimeout(180_000);
  const { email, password } = await signUpFreshAdmin(page, "remember");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();

  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.getByLabel("Don't ask again on this browser for 30 days").check();
  await twoFactor.submitTotp(await app.nextCode());
  await expect(page.getByTestId("home-name")).toBeVisible();
  await loginPage.logout();

  // The password is still required; the second factor is not asked.
  await loginPage.goto();
  await loginPage.submitPassword(email, "not the password");
  await expect(loginPage.formError()).toHaveText("Incorrect email or password.");
  await loginPage.submitPassword(email, password);
  await expect(page.getByTestId("home-name")).toBeVisible();

  await page.goto("/security/sessions");
  const device = page.getByTestId("remembered-device");
  await expect(device).toHaveCount(1);
  await page.screenshot({ path: "e2e/screenshots/remembered-devices.png", fullPage: true });
  await device.getByRole("button", { name: "Forget" }).click();
  await expect(page.getByTestId("remembered-device")).toHaveCount(0);
  await loginPage.logout();

  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
});

test("setting remembered days to 0 forgets remembered browsers for good: back at 30, the browser is asked again", async ({
  page,
  loginPage,
  twoFactor,
  adminPage: admin,
}) => {
  test.setTimeout(180_000);
  const { email, password } = await signUpFreshAdmin(page, "forgetall");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await page.getByLabel("Don't ask again on this browser for 30 days").check();
  await twoFactor.submitTotp(await app.nextCode());
  await expect(page.getByTestId("home-name")).toBeVisible();

  const days = page.getByLabel("Remember a device for (days)");
  await admin.gotoSettings();
  await days.fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("1 remembered browser was forgotten");
  await days.fill("30");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("Settings saved.");
  await loginPage.logout();

  // The browser still holds its cookie, but it no longer skips the second step.
  expect((await page.context().cookies()).some((c) => c.name === "remembered_device")).toBe(true);
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
});
