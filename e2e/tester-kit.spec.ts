/**
 * The tester kit (issue 13), used the way a tester would: each flow is a few lines with the shipped
 * helpers (fixtures re-export the mailbox and authenticator helpers; LoginPage signs in with either).
 */
import { Authenticator, expect, latestCode, mailCursor, signUpFreshAdmin, test } from "./fixtures";

test("sign in, enrol TOTP from the setup key, sign out, sign in with a code", async ({ page, loginPage, twoFactor }) => {
  const { email, password } = await signUpFreshAdmin(page, "kit");
  await twoFactor.openEnrolment();
  const app = new Authenticator(await page.getByTestId("totp-secret").innerText());
  await page.getByLabel("6-digit code").fill(await app.nextCode());
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  await loginPage.loginWithTotp(email, password, app);
  await expect(page.getByTestId("home-name")).toHaveText("Fresh kit");
});

test("email as the only method: the code goes out as the password step finishes, and loginWithEmailCode still gets it", async ({
  page,
  request,
  loginPage,
  twoFactor,
}) => {
  const { email, password } = await signUpFreshAdmin(page, "kitmail");
  await twoFactor.enrolEmail(request, email);
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  await loginPage.loginWithEmailCode(email, password, request);
  await expect(page.getByTestId("home-name")).toHaveText("Fresh kitmail");

  // Why the helper takes the cursor itself: taken after the password step, it is already past the code.
  await loginPage.logout();
  const early = await mailCursor(request, email);
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByTestId("email-sent")).toBeVisible();
  const late = await mailCursor(request, email);
  expect(late).toBeGreaterThan(early);
  await expect(latestCode(request, email, { after: late, timeout: 2_000 })).rejects.toThrow();
  await twoFactor.submitEmailCode(await latestCode(request, email, { after: early }));
  await loginPage.expectSignedIn();
});

test("with an app as well, loginWithEmailCode asks for the email; loginWithTotp uses the app", async ({
  page,
  request,
  loginPage,
  twoFactor,
}) => {
  test.setTimeout(150_000);
  const { email, password } = await signUpFreshAdmin(page, "kitboth");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await twoFactor.enrolEmail(request, email);
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  await loginPage.loginWithEmailCode(email, password, request);
  await loginPage.logout();
  await loginPage.loginWithTotp(email, password, app);
});
