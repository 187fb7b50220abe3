/**
 * Finding things (issue 13): the Security area and its sub-navigation, the user menu's Login history,
 * the home page's 2FA card, old /profile links, 404s signed in and out, the login page's focus,
 * "This browser" among remembered browsers, and dates in the browser's own format.
 */
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test } from "./fixtures";
import { dayFromNow } from "./pages/admin";
import { SECURITY } from "./pages/security-page";

/** The "expanded" state Chromium gives a button in its accessibility tree (what screen readers get). */
async function expandedState(page: import("@playwright/test").Page, name: RegExp) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
    nodes: { role?: { value: string }; name?: { value: string }; properties?: { name: string; value: { value: unknown } }[] }[];
  };
  await cdp.detach();
  const button = nodes.find((n) => n.role?.value === "button" && name.test(n.name?.value ?? ""));
  if (!button) throw new Error(`no button named ${name}`);
  return button.properties?.find((p) => p.name === "expanded")?.value.value ?? null;
}

test("the Security area: sub-navigation, the user menu's Login history, and old /profile links", async ({ page, loginPage, security }) => {
  await loginPage.login(DEMO.agents[1]!, DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" }).click();
  await security.expectOn("account");
  const nav = security.nav();
  await expect(nav.getByRole("link")).toHaveText(["Account", "Two-factor", "Sessions and browsers", "Login history", "Notifications"]);
  await expect(nav.getByRole("link", { name: "Account" })).toHaveAttribute("aria-current", "page");
  for (const [label, section] of [
    ["Two-factor", "twoFactor"],
    ["Sessions and browsers", "sessions"],
    ["Login history", "loginHistory"],
    ["Notifications", "notifications"],
  ] as const) {
    await nav.getByRole("link", { name: label }).click();
    await security.expectOn(section);
    await expect(page).toHaveURL(new RegExp(`${SECURITY[section].path}$`));
    await expect(nav.getByRole("link", { name: label })).toHaveAttribute("aria-current", "page");
  }

  // The user menu (under the person's name): assistive technology hears whether it is expanded; Escape
  // closes it and gives the focus back; its Login history entry leads there.
  await page.goto("/");
  const menuButton = security.menuButton();
  await expect(menuButton).toContainText("Chloe Agent · Acme Support");
  expect(await expandedState(page, /^Chloe Agent · Acme Support ?: menu$/)).toBe(false);
  await security.openMenu();
  expect(await expandedState(page, /^Chloe Agent · Acme Support ?: menu$/)).toBe(true);
  await page.screenshot({ path: "e2e/screenshots/user-menu.png" });
  await page.keyboard.press("Escape");
  await expect(security.menu()).toBeHidden();
  await expect(menuButton).toBeFocused();
  await page.keyboard.press("Enter");
  await security.menu().getByRole("link", { name: "Login history" }).click();
  await security.expectOn("loginHistory");
  await expect(page.getByTestId("login-history-row").first()).toContainText("Signed in");
  await expect(security.menu()).toBeHidden();

  // Old links (emails, notices, bookmarks) land on the new pages.
  for (const [old, section] of [
    ["/profile", "account"],
    ["/profile#two-factor", "twoFactor"],
    ["/profile#sessions", "sessions"],
    ["/profile#login-history", "loginHistory"],
    ["/profile/two-factor/authenticator", null],
  ] as const) {
    await page.goto(old);
    if (section) {
      await expect(page).toHaveURL(new RegExp(`${SECURITY[section].path}$`));
      await security.expectOn(section);
    } else {
      await expect(page).toHaveURL(/\/security\/two-factor\/authenticator$/);
    }
  }
  await page.goto("/profile?notice=mfa-off#two-factor");
  await expect(page).toHaveURL(/\/security\/two-factor\?notice=mfa-off/);
  await expect(page.getByText("Two-factor authentication is off. Your other sessions were signed out.")).toBeVisible();
});

test("home says when 2FA is off, with the way to turn it on, and says On afterwards", async ({ page, twoFactor }) => {
  test.setTimeout(120_000);
  await signUpFreshAdmin(page, "homecard");
  await page.goto("/");
  const card = page.getByTestId("home-2fa");
  await expect(card).toHaveAttribute("data-state", "off");
  await expect(card).toContainText("Right now your password alone opens your account.");
  await card.getByRole("link", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
  await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await page.goto("/");
  await expect(card).toHaveAttribute("data-state", "on");
  await expect(card).toContainText("Signing in asks for a second step: authenticator app.");
  await expect(card.getByRole("link", { name: "Manage two-factor authentication" })).toBeVisible();
});

test("a mistyped URL is a 404 signed out and signed in, with one main landmark; the login page focuses the email field", async ({
  page,
  request,
  loginPage,
}) => {
  const anonymous = await request.get("/no-such-page", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(404);
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page).toHaveURL(/\/no-such-page$/);
  // App pages still send a signed-out visitor to the login page.
  expect((await request.get("/security/account", { maxRedirects: 0 })).status()).toBe(307);

  await page.goto("/login");
  await expect(page.getByLabel("Email")).toBeFocused();

  await loginPage.submitPassword(DEMO.admin, DEMO_PASSWORD);
  await loginPage.expectSignedIn();
  for (const path of ["/no-such-page", "/admin/members/00000000-0000-4000-8000-000000000000"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("main")).toHaveCount(1);
  }
});

test("among remembered browsers, this one is marked", async ({ page, loginPage, twoFactor }) => {
  test.setTimeout(120_000);
  const { email, password } = await signUpFreshAdmin(page, "thisbrowser");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await page.getByLabel("Don't ask again on this browser for 30 days").check();
  await twoFactor.submitTotp(await app.nextCode());
  await loginPage.expectSignedIn();
  await page.goto("/security/sessions");
  const device = page.getByTestId("remembered-device");
  await expect(device).toHaveCount(1);
  await expect(device.getByTestId("this-remembered-browser")).toHaveText("This browser");
  await expect(device.getByRole("form", { name: /\(this browser\)$/ })).toBeVisible();
});

test.describe("dates in the browser's own format", () => {
  test.use({ locale: "en-GB" });

  test("an en-GB browser reads the grace date the British way (9 Dec) in the policy preview", async ({ page, loginPage }) => {
    await loginPage.login(DEMO.admin, DEMO_PASSWORD);
    const grace = dayFromNow(6, "en-GB");
    expect(grace.label).toMatch(/^\d{1,2} [A-Z][a-z]{2}( \d{4})?$/);
    expect(dayFromNow(6).label).toMatch(/^[A-Z][a-z]{2} \d{1,2}(, \d{4})?$/); // what the default (en-US) browsers read
    await page.goto("/admin/settings");
    await page.getByLabel("Require two-factor authentication for everyone in the organisation").check();
    await page.getByLabel("Members may skip setup until (optional)").fill(grace.iso);
    await expect(page.getByTestId("policy-preview")).toContainText(`after ${grace.label} they cannot skip`);
  });
});
