/**
 * The sign-in's email-code step (issue 13 flows 2 and 3): one "Don't ask again" checkbox, and "Send a
 * new code" disabled while the server's cooldown runs, with a countdown and a polite "you can ask
 * now" at its end; then it sends a new code.
 */
import { expect, signUpFreshAdmin, test } from "./fixtures";
import { expectAccessible } from "./helpers/axe";
import { latestCode, mailCursor } from "./helpers/mailbox";

test("one remember checkbox; the resend countdown runs out, is announced, and a new code arrives", async ({
  page,
  request,
  loginPage,
  twoFactor,
}) => {
  test.setTimeout(180_000);
  const { email, password } = await signUpFreshAdmin(page, "countdown");
  await twoFactor.enrolEmail(request, email);
  await twoFactor.finishEnrolment();
  await loginPage.logout();

  const cursor = await mailCursor(request, email);
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  const verify = page.getByRole("form", { name: "Sign in with an emailed code" });
  await expect(page.getByTestId("email-sent")).toBeVisible();
  const first = await latestCode(request, email, { after: cursor });
  await expect(verify.getByRole("checkbox")).toHaveCount(1);
  await expect(page.getByLabel("Don't ask again on this browser for 30 days")).toHaveCount(1);

  const resend = page.getByRole("form", { name: "Send a new code" });
  const button = resend.getByRole("button", { name: "Send a new code" });
  const countdown = page.getByTestId("resend-countdown");
  await expect(button).toBeDisabled();
  await expect(countdown).toHaveText(/^You can ask for a new code in \d+ seconds?\.$/);
  await expect(button).toHaveAccessibleDescription(/You can ask for a new code in \d+ seconds?\./);
  await expectAccessible(page, "/login/verify (email code, counting down)");
  const secondsAt = async () => Number((await countdown.innerText()).match(/(\d+)/)![1]);
  const before = await secondsAt();
  expect(before).toBeLessThanOrEqual(30);
  // It counts down while the person waits (the text changes by itself).
  await expect.poll(secondsAt, { timeout: 5_000 }).toBeLessThan(before);
  // The end is said once, politely (a status region), and the button works again.
  const ready = page.getByTestId("resend-ready");
  await expect(ready).toHaveAttribute("role", "status");
  await expect(ready).toBeEmpty();
  await expect(button).toBeEnabled({ timeout: 40_000 });
  await expect(ready).toHaveText("You can ask for a new code now.");
  await expect(countdown).toHaveCount(0);

  const beforeResend = await mailCursor(request, email);
  await button.click();
  await expect(page.getByTestId("email-sent")).toContainText("We sent a new code");
  const second = await latestCode(request, email, { after: beforeResend });
  expect(second).not.toBe(first);
  // A new cooldown starts with the new code.
  await expect(button).toBeDisabled();
  await expect(countdown).toBeVisible();
  await twoFactor.submitEmailCode(second);
  await loginPage.expectSignedIn();
});
