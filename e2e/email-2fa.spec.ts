import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, signUpFreshAdmin, test } from "./fixtures";
import { latestCode, mailCursor, type DevMail } from "./helpers/mailbox";

/** Every message to `to` after `cursor` (the dev mailbox JSON). */
async function mailSince(request: APIRequestContext, to: string, cursor: number): Promise<DevMail[]> {
  const res = await request.get(`/api/dev/mail?${new URLSearchParams({ to, after: String(cursor), limit: "100" })}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as DevMail[];
}
const otherThan = (code: string) => (code === "000000" ? "111111" : "000000");

test("a user sets up email codes, signs in with an emailed code, meets the resend cooldown and a wrong code", async ({
  page,
  request,
  loginPage,
  twoFactor,
}) => {
  test.setTimeout(240_000);
  const { email, password } = await signUpFreshAdmin(page, "email");
  const masked = `${email[0]}•••@e2e.test`;

  // Enrol: a name, the code from the dev mailbox (a wrong one first), recovery codes for a first factor.
  await twoFactor.openEmailEnrolment();
  await expect(page.getByTestId("email-weaker-note")).toContainText("An authenticator app is safer than email");
  await expect(page.getByRole("form", { name: "Set up email authentication" }).getByLabel("Name")).toHaveValue("Email");
  await page.screenshot({ path: "e2e/screenshots/email-enrol.png", fullPage: true });
  const enrolCode = await twoFactor.sendEmailEnrolmentCode(request, email, "Work email");
  await expect(page.getByTestId("email-sent")).toContainText(`We sent a 6-digit code to ${email}`);
  await twoFactor.confirmEmailEnrolment(otherThan(enrolCode));
  await expect(page.getByText("That code is not valid or has expired.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/email-enrol-code.png", fullPage: true });
  await twoFactor.confirmEmailEnrolment(enrolCode);
  await expect(page.getByTestId("email-success")).toContainText("Email codes turned on");
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.screenshot({ path: "e2e/screenshots/email-enrol-done.png", fullPage: true });
  await twoFactor.finishEnrolment();
  const row = twoFactor.factorRow("Work email");
  await expect(row).toContainText("Email codes");
  await expect(page.getByTestId("mfa-status")).toHaveText("On");
  await expect(page.getByRole("link", { name: "Set up email authentication" })).toHaveCount(0); // one is enough
  await page.screenshot({ path: "e2e/screenshots/profile-email-on.png", fullPage: true });

  // Sign in: email is the only factor, so the code is sent when the 2FA screen opens: once, even on reload.
  await loginPage.logout();
  const cursor = await mailCursor(request, email);
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByTestId("email-sent")).toContainText(`We emailed a 6-digit code to ${masked}`);
  await expect(page.getByTestId("email-weaker-note")).toHaveText(/^An authenticator app is safer than email.*Add an app in your profile/);
  const code = await latestCode(request, email, { after: cursor });
  await page.reload();
  await expect(page.getByTestId("email-sent")).toBeVisible();
  expect((await mailSince(request, email, cursor)).map((m) => m.subject)).toEqual([expect.stringContaining("sign-in code")]);
  await page.screenshot({ path: "e2e/screenshots/login-email.png", fullPage: true });

  // Asking again at once: "Send a new code" waits out the cooldown, counting down (e2e/email-code-step.spec.ts
  // follows it to the end). The server enforces it too: a form sent anyway (a script, an old tab) is told
  // how long to wait, and no email goes out.
  const resend = page.getByRole("form", { name: "Send a new code" });
  await expect(resend.getByRole("button", { name: "Send a new code" })).toBeDisabled();
  await expect(page.getByTestId("resend-countdown")).toHaveText(/^You can ask for a new code in \d+ seconds?\.$/);
  await resend.evaluate((form: HTMLFormElement) => form.requestSubmit());
  await expect(page.getByTestId("email-send-error")).toHaveText(
    /^A code was sent moments ago: use it, or ask for a new one in \d+ seconds?\.$/,
  );
  expect(await mailSince(request, email, cursor)).toHaveLength(1);
  await page.screenshot({ path: "e2e/screenshots/login-email-cooldown.png", fullPage: true });

  // A wrong code, then the right one.
  await twoFactor.submitEmailCode(otherThan(code));
  await expect(
    page.getByText("That code is not valid or has expired. Use the code from the newest email, or ask for a new one."),
  ).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/login-email-error.png", fullPage: true });
  await twoFactor.submitEmailCode(code);
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  // With an authenticator app as well, the app comes first and email is one click away.
  await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  const beforeChoice = await mailCursor(request, email);
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("textbox", { name: "Authentication code" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Use a recovery code instead" })).toBeVisible();
  expect(await mailSince(request, email, beforeChoice)).toHaveLength(0); // the app's screen sends nothing
  await twoFactor.chooseEmail();
  const second = await latestCode(request, email, { after: beforeChoice });
  await expect(page.getByTestId("email-weaker-note")).not.toContainText("Add an app"); // they have one
  await page.screenshot({ path: "e2e/screenshots/login-email-with-app.png", fullPage: true });
  await twoFactor.submitEmailCode(second);
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();

  // S18: no code ever reached the server's output (scripts/e2e-server.sh keeps it in this file).
  const log = fs.readFileSync(`.data/e2e-server-${process.env.E2E_PORT ?? 3100}.log`, "utf8");
  for (const c of [enrolCode, code, second]) expect(log).not.toContain(c);
});
