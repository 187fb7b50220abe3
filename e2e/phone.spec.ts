/**
 * Phones (390×844, issue 13 flow 8): a compact header with a menu, the members table and the audit log
 * as one card per row (each switch sits in its member's card), recovery codes one per line, never
 * broken; nothing scrolls sideways. Screenshots in e2e/screenshots/phone-*.png (light and dark).
 */
import type { Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test } from "./fixtures";
import { Authenticator } from "./helpers/totp";
import { AdminPage } from "./pages/admin";

test.use({ viewport: { width: 390, height: 844 } });

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/phone-${name}.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: `e2e/screenshots/phone-${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
}

/** The element lies inside the row's box (on a phone, inside its card). */
async function expectInside(inner: import("@playwright/test").Locator, outer: import("@playwright/test").Locator) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  expect(a && b && a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height).toBe(true);
}

test("header menu, members as cards, the audit log as cards", async ({ page, loginPage }) => {
  await loginPage.goto();
  await loginPage.submitPassword(DEMO.admin, DEMO_PASSWORD);
  const menu = page.getByRole("button", { name: /: menu$/ });
  await expect(menu).toBeVisible();
  await expect(page.getByTestId("whoami")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden(); // in the menu, not wrapping in the header
  await expectNoSidewaysScroll(page);
  await shots(page, "home");
  await menu.click();
  const panel = page.getByTestId("app-menu");
  for (const link of [
    "Home",
    "Security",
    "Organisation",
    "Account",
    "Two-factor authentication",
    "Sessions and browsers",
    "Login history",
  ]) {
    await expect(panel.getByRole("link", { name: link, exact: true })).toBeVisible();
  }
  await expect(panel.getByRole("button", { name: "Sign out" })).toBeVisible();
  await shots(page, "menu");
  await panel.getByRole("link", { name: "Organisation" }).click();
  await expect(page.getByRole("heading", { name: "Organisation", level: 1 })).toBeVisible();
  await expect(panel).toBeHidden();

  // Every admin tab is on screen, "Audit log" included.
  const tabs = page.getByRole("navigation", { name: "Organisation" }).getByRole("link");
  await expect(tabs).toHaveText(["Overview", "2FA policy", "Members", "Audit log"]);
  for (const tab of await tabs.all()) await expect(tab).toBeInViewport({ ratio: 1 });

  const admin = new AdminPage(page);
  await admin.gotoMembers();
  await expectNoSidewaysScroll(page);
  for (const [email, name] of [
    [DEMO.admin, "Ada Admin"],
    [DEMO.agents[0]!, "Ben Agent"],
  ] as const) {
    const row = admin.row(email);
    await row.scrollIntoViewIfNeeded(); // the list is as long as the organisation; other tests add members
    await expect(row.getByRole("link", { name, exact: true })).toBeInViewport({ ratio: 1 });
    await expectInside(row.getByRole("switch", { name: `Enforce 2FA for ${name}` }), row);
    await expectInside(row.getByRole("link", { name }).first(), row);
    await expect(row.getByText(email)).toBeVisible();
  }
  // Still a table for assistive technology: rows and column headers.
  await expect(page.getByRole("table", { name: /Members/ }).getByRole("columnheader", { name: "Enforce 2FA" })).toHaveCount(1);
  await shots(page, "members");

  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  const first = page.getByTestId("audit-row").first();
  await expectInside(first.getByText(/Signed in|Second factor/).first(), first);
  await shots(page, "audit");
});

test("recovery codes on a phone: one per line, never broken", async ({ page, twoFactor }) => {
  test.setTimeout(120_000);
  await signUpFreshAdmin(page, "phonecodes");
  await twoFactor.openEnrolment();
  await expectNoSidewaysScroll(page);
  const app = new Authenticator(await page.getByTestId("totp-secret").innerText());
  await page.getByLabel("6-digit code").fill(await app.nextCode());
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  const codes = twoFactor.successDialog().getByTestId("recovery-codes").locator("li");
  await expect(codes).toHaveCount(10);
  const boxes = await codes.evaluateAll((items) =>
    items.map((li) => ({
      left: li.getBoundingClientRect().left,
      height: li.getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(li).lineHeight),
    })),
  );
  for (const box of boxes) expect(box.height).toBeLessThan(box.lineHeight * 1.5); // a single line each
  expect(new Set(boxes.map((b) => Math.round(b.left))).size).toBe(1); // one column
  await expectNoSidewaysScroll(page);
  await shots(page, "recovery-codes");
});
