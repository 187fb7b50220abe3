/**
 * S36 in a real browser: someone who knows only the email cannot keep the real user out. The user's
 * browser got a device cookie when it signed in; ten wrong passwords from ten addresses lock out new
 * browsers only. Forged, altered and other users' device cookies count as none. The admin (here the
 * organisation's only admin, signed in on their own browser) clears the lock; a browser's own failures
 * lock that browser only. S25: the sign-in from a new browser is emailed, the known one is not.
 */
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, signUpFreshAdmin, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";
import { TwoFactorPage } from "./pages/two-factor";

const DEVICE_COOKIE = "guardian_device";
const LOCKED = /Too many sign-in attempts\. Try again in 15 minutes\./;
let address = 0;

/** Each attempt from another client address (the proxy's X-Forwarded-For entry), as a spread-out attacker would. */
async function fromNewAddress(page: Page) {
  address += 1;
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `198.51.100.${address}` });
}

async function wrongPasswords(page: Page, email: string, count: number) {
  const login = new LoginPage(page);
  for (let i = 0; i < count; i++) {
    await fromNewAddress(page);
    // A fresh form each time (the same error text would stay on screen), and this attempt's own answer.
    await login.goto();
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await login.submitPassword(email, `not the password ${i}`);
    await answered;
    await expect(login.formError()).toHaveText("Incorrect email or password.");
  }
}

async function expectRefused(page: Page, email: string, password: string) {
  const login = new LoginPage(page);
  await fromNewAddress(page);
  await login.goto();
  await login.submitPassword(email, password);
  await expect(login.formError()).toHaveText(LOCKED);
}

async function deviceCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === DEVICE_COOKIE);
}

async function browserWithCookie(browser: Browser, value?: string) {
  const context = await browser.newContext();
  const url = test.info().project.use.baseURL!;
  if (value) await context.addCookies([{ name: DEVICE_COOKIE, value, url, httpOnly: true, sameSite: "Lax" }]);
  return { context, page: await context.newPage() };
}

test("an attacker-made account lock does not keep out a browser that signed in before; the admin lifts it", async ({ page, context, browser, loginPage, twoFactor, request }) => {
  test.setTimeout(300_000);
  // The victim: the only admin of their organisation, with an authenticator app. Signing up signed them in.
  const { email, password } = await signUpFreshAdmin(page, "lockout");
  const cookie = await deviceCookie(context);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();

  // Someone else's account and browser, for an "other user's device cookie".
  const other = await browserWithCookie(browser);
  await signUpFreshAdmin(other.page, "bystander");
  const othersCookie = (await deviceCookie(other.context))!.value;

  // The attacker: ten wrong passwords from ten addresses, then even the right password is refused.
  const attacker = await browserWithCookie(browser);
  await wrongPasswords(attacker.page, email, 10);
  await expectRefused(attacker.page, email, password);

  // Forged, altered and other users' device cookies are no better than none.
  const [userId, nonce, mac] = cookie!.value.split(".");
  const flip = (s: string) => s.slice(0, -1) + (s.endsWith("A") ? "B" : "A");
  for (const value of [`${userId}.${nonce}.${flip(mac!)}`, `${userId}.${flip(nonce!)}.${mac}`, `${othersCookie.split(".")[0]}.${nonce}.${mac}`, othersCookie]) {
    const forged = await browserWithCookie(browser, value);
    await expectRefused(forged.page, email, password);
    await forged.context.close();
  }

  // The user's own browser signs in as usual: password, then the second factor.
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await twoFactor.submitTotp(await app.nextCode());
  await expect(page.getByTestId("home-name")).toBeVisible();

  // A new browser is still refused: the lock stands until it ends or an admin lifts it.
  const fresh = await browserWithCookie(browser);
  await expectRefused(fresh.page, email, password);

  // The only admin, signed in on their own browser, sees the lock on their member page and lifts it.
  await page.goto("/admin/members?status=locked");
  await page.locator(`[data-testid="member-row"][data-email="${email}"]`).getByRole("link", { name: /^Manage/ }).click();
  await expect(page.getByTestId("member-locks")).toContainText("password sign-in from new browsers is locked");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByTestId("member-notice")).toHaveText(
    "The lockout was lifted: the member can sign in again. Cleared: password sign-in from new browsers.",
  );
  await expect(page.getByTestId("member-locks")).toHaveCount(0);

  // Now the new browser signs in (both factors) and becomes a known browser; the owner is emailed once.
  const freshLogin = new LoginPage(fresh.page);
  await freshLogin.goto();
  await freshLogin.submitPassword(email, password);
  await new TwoFactorPage(fresh.page).submitTotp(await app.nextCode());
  await expect(fresh.page.getByTestId("home-name")).toBeVisible();
  expect(await deviceCookie(fresh.context)).toBeDefined();
  const notices = async () => {
    const res = await request.get(`/api/dev/mail?${new URLSearchParams({ to: email, limit: "100" })}`);
    return ((await res.json()) as { subject: string; text: string }[]).filter((m) => m.subject.includes("New sign-in from a browser"));
  };
  await expect.poll(async () => (await notices()).length).toBe(1);
  expect((await notices())[0]!.text).not.toContain(password);

  // That browser's own failures lock that browser only: the first browser still gets past the password.
  await freshLogin.logout();
  await wrongPasswords(fresh.page, email, 10);
  await expectRefused(fresh.page, email, password);
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();

  for (const c of [other.context, attacker.context, fresh.context]) await c.close();
});
