/**
 * "Forgot your password?" in Chromium against the production server (S4, S39, S40): a user with an
 * authenticator app is asked for a code before the new password (and the pass does not carry over to
 * another browser), the reset signs nobody in, the next sign-in still asks for the second factor; the
 * admin's "Send password reset"; and, over raw HTTP from its own loopback address, the same answer for
 * unknown addresses, the per-address limit, and links that ignore a forged Host header.
 */
import http from "node:http";
import path from "node:path";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { latestMail, mailCursor } from "./helpers/mailbox";
import { actionId, actionRequest, replyLayout } from "./helpers/server-actions";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const RESET_SUBJECT = "Reset your Guardian password";
const linkIn = (text: string) => text.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)![0];

test("forgot password with an authenticator app: the code first, then the new password; signing in still asks for 2FA", async ({
  page,
  browser,
  request,
  loginPage,
  twoFactor,
}) => {
  test.setTimeout(240_000);
  const { email, password } = await signUpFreshAdmin(page, "reset");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();

  // The login page links to the form, which answers the same whatever the address.
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/reset-forgot.png", fullPage: true });
  const cursor = await mailCursor(request, email);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByTestId("form-success")).toContainText("If an account exists for that address, we sent it a link");
  await page.screenshot({ path: "e2e/screenshots/reset-forgot-sent.png", fullPage: true });
  const link = linkIn((await latestMail(request, email, { after: cursor, subject: RESET_SUBJECT })).text);
  expect(link.startsWith(`http://localhost:${PORT}/reset-password/`)).toBe(true);

  // The link asks for the app's code before any password field.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Confirm it’s you" })).toBeVisible();
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await page.screenshot({ path: "e2e/screenshots/reset-step-up.png", fullPage: true });
  await page.getByRole("textbox", { name: "Authentication code" }).fill("000000");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("That code is not valid.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/reset-step-up-wrong.png", fullPage: true });
  await page.getByRole("textbox", { name: "Authentication code" }).fill(await app.nextCode());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();

  // Someone else with the same link (another browser) is still asked for the code.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(link);
  await expect(otherPage.getByRole("heading", { name: "Confirm it’s you" })).toBeVisible();
  await other.close();

  // The rules: not a common password, not the email address.
  const newPassword = "a different long passphrase";
  await page.getByLabel("New password", { exact: true }).fill("Password1");
  await page.getByLabel("Confirm new password").fill("Password1");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("This password is too common")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/reset-new-password-refused.png", fullPage: true });
  const noticeCursor = await mailCursor(request, email);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();

  // No session: the login page, with a notice; the owner is emailed.
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByTestId("password-reset-done")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/reset-done-login.png", fullPage: true });
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);
  const notice = await latestMail(request, email, { after: noticeCursor, subject: "Your password was reset" });
  expect(notice.text).toContain("Your authenticator app was confirmed");
  expect(notice.text).not.toContain(newPassword);

  // The link works once.
  await page.goto(link);
  await expect(page.getByTestId("reset-link-problem")).toHaveAttribute("data-status", "used");
  await page.screenshot({ path: "e2e/screenshots/reset-link-used.png", fullPage: true });

  // The old password is gone; the new one still asks for the second factor.
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(loginPage.formError()).toHaveText("Incorrect email or password.");
  await loginPage.submitPassword(email, newPassword);
  await twoFactor.submitTotp(await app.nextCode());
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
});

test("a garbled or unknown reset link gets a clear page, not an error", async ({ page }) => {
  for (const token of ["garbled", "not-a-real-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%3Cscript%3E"]) {
    const response = await page.goto(`/reset-password/${token}`);
    expect(response!.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  }
  await page.screenshot({ path: "e2e/screenshots/reset-link-invalid.png", fullPage: true });
});

test("the admin sends a member a password reset link from the member page", async ({ page, browser, request, loginPage }) => {
  const member = DEMO.agents[4]!;
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await page.goto("/admin/members");
  await page
    .locator(`[data-testid="member-row"][data-email="${member}"]`)
    .getByRole("link", { name: /^Manage/ })
    .click();
  const cursor = await mailCursor(request, member);
  const form = page.getByRole("form", { name: "Send password reset" });
  await form.getByRole("button", { name: "Send password reset" }).click();
  await expect(form.getByTestId("form-success")).toContainText(`A password reset link was sent to ${member}`);
  await page.getByRole("heading", { name: "Password" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "e2e/screenshots/reset-admin-sent.png", fullPage: true });
  const mail = await latestMail(request, member, { after: cursor, subject: RESET_SUBJECT });
  expect(mail.text).toContain("an admin of Acme Support, sent you a link");
  // The member (no 2FA) goes straight to the new password; nothing is changed here.
  const context = await browser.newContext();
  const memberPage = await context.newPage();
  await memberPage.goto(linkIn(mail.text));
  await expect(memberPage.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await memberPage.screenshot({ path: "e2e/screenshots/reset-new-password.png", fullPage: true });
  await context.close();
});

/** The forgot-password action over raw HTTP from `from` (its own loopback address), with extra headers. */
async function rawForgot(from: string, email: string, headers: Record<string, string> = {}) {
  const dist = path.resolve(import.meta.dirname, "..", `.next-e2e-${PORT}`);
  const id = actionId(dist, "forgotPasswordAction", "app/(auth)/forgot-password/page");
  const host = headers.host ?? `localhost:${PORT}`;
  const req = actionRequest(await replyLayout(), id, "/forgot-password", { email }, {}, `http://${host}`);
  return new Promise<string>((resolve, reject) => {
    const r = http.request(
      {
        host: "127.0.0.1",
        port: PORT,
        localAddress: from,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...headers, host },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve(body));
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

test("over HTTP: the same answer for an unknown address, a limit per client address, links that ignore a forged Host", async ({
  request,
}) => {
  const from = "127.0.0.61";
  const known = DEMO.agents[3]!;
  const cursor = await mailCursor(request, known);
  const answerKnown = await rawForgot(from, known, { host: "evil.example", "x-forwarded-host": "evil.example" });
  const answerUnknown = await rawForgot(from, uniqueEmail("nobody"));
  expect(answerKnown).toContain("If an account exists for that address");
  expect(answerUnknown).toBe(answerKnown);
  // The link names the configured address, never the Host the request claimed.
  const mail = await latestMail(request, known, { after: cursor, subject: RESET_SUBJECT });
  expect(linkIn(mail.text).startsWith(`http://localhost:${PORT}/reset-password/`)).toBe(true);
  expect(mail.text).not.toContain("evil.example");

  // 20 per hour from one address (two used above), whatever X-Forwarded-For says; another address is unaffected.
  for (let i = 3; i <= 20; i++)
    expect(await rawForgot(from, uniqueEmail(`ip${i}`), { "x-forwarded-for": `198.51.100.${i}` })).toContain("If an account exists");
  expect(await rawForgot(from, uniqueEmail("ip21"), { "x-forwarded-for": "198.51.100.21" })).toContain("Too many password reset requests");
  expect(await rawForgot("127.0.0.62", uniqueEmail("elsewhere"))).toContain("If an account exists");
});
