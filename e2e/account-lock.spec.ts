/**
 * S36 in a real browser: someone who knows only the email cannot keep the real user out. The user's
 * browser got a device cookie when it signed in; ten wrong passwords from ten addresses lock out new
 * browsers only. Forged, altered and other users' device cookies count as none. The admin (here the
 * organisation's only admin, signed in on their own browser) clears the lock; a browser's own failures
 * lock that browser only. S25: the sign-in from a new browser is emailed, the known one is not.
 */
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, signUpFreshAdmin, test } from "./fixtures";
import { RawActions } from "./helpers/raw-actions";
import { LoginPage } from "./pages/login-page";
import { TwoFactorPage } from "./pages/two-factor";

const DEVICE_COOKIE = "guardian_device";
const LOCKED = /Too many sign-in attempts\. Try again in 15 minutes\./;

let raw: RawActions;
test.beforeAll(async () => {
  raw = await RawActions.create();
});
test.afterAll(() => raw.close());

/**
 * Wrong passwords as a spread-out attacker sends them: each from its own client address (127.0.0.<first>,
 * <first + 1>, … : every 127.x address is this machine), so the per-address limit never steps in and the
 * browsers of this test, which share 127.0.0.1 with every other test, spend none of its budget.
 */
async function wrongPasswords(email: string, count: number, first: number, cookie?: string) {
  for (let i = 0; i < count; i++) {
    const body = await raw.login(
      `127.0.0.${first + i}`,
      email,
      `not the password ${i}`,
      cookie ? { cookie: `${DEVICE_COOKIE}=${cookie}` } : {},
    );
    expect(RawActions.outcome(body), `attempt ${i + 1}`).toBe("wrong");
  }
}

/** The right password from address 127.0.0.<at> with `cookie` (or none): refused by the lock. */
async function expectRefusedRaw(at: number, email: string, password: string, cookie?: string) {
  const body = await raw.login(`127.0.0.${at}`, email, password, cookie ? { cookie: `${DEVICE_COOKIE}=${cookie}` } : {});
  expect(RawActions.outcome(body)).toBe("refused");
}

/** In a browser: the right password is refused with the lockout message. */
async function expectRefused(page: Page, email: string, password: string) {
  const login = new LoginPage(page);
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

test("an attacker-made account lock does not keep out a browser that signed in before; the admin lifts it", async ({
  page,
  context,
  browser,
  loginPage,
  twoFactor,
  request,
}) => {
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
  await wrongPasswords(email, 10, 140);
  await expectRefusedRaw(150, email, password);

  // Forged, altered and other users' device cookies are no better than none.
  const [userId, nonce, mac] = cookie!.value.split(".");
  const flip = (s: string) => s.slice(0, -1) + (s.endsWith("A") ? "B" : "A");
  const forgeries = [
    `${userId}.${nonce}.${flip(mac!)}`,
    `${userId}.${flip(nonce!)}.${mac}`,
    `${othersCookie.split(".")[0]}.${nonce}.${mac}`,
    othersCookie,
  ];
  for (const [i, value] of forgeries.entries()) await expectRefusedRaw(151 + i, email, password, value);
  // The same in a browser: a forged cookie is refused with the message a person reads.
  const forged = await browserWithCookie(browser, forgeries[0]);
  await expectRefused(forged.page, email, password);
  await forged.context.close();

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
  await page
    .locator(`[data-testid="member-row"][data-email="${email}"]`)
    .getByRole("link", { name: /^Manage/ })
    .click();
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

  // That browser's own failures (its cookie, from any address) lock that browser only: the first browser
  // still gets past the password.
  await freshLogin.logout();
  const freshCookie = (await deviceCookie(fresh.context))!.value;
  await wrongPasswords(email, 10, 160, freshCookie);
  await expectRefused(fresh.page, email, password);
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();

  for (const c of [other.context, fresh.context]) await c.close();
});
