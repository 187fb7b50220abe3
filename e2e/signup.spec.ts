/**
 * Sign-up by emailed link and add-member, over real HTTP (S39): the same answer whether or not an
 * address has an account, clear pages for links that cannot be used, and the per-address limit.
 * The whole happy path (form, email, link, sign in) is in foundation.spec.ts.
 */
import type { Page } from "@playwright/test";
import { expect, requestSignup, signUpFreshAdmin, signupLinkFor, submitSignup, test, uniqueEmail } from "./fixtures";
import { latestMail, linkFrom, mailCursor } from "./helpers/mailbox";
import { freshLoopbackAddress } from "./helpers/raw-actions";

const form = (email: string, org = "Probe Org") => ({ org, name: "Pat Probe", email, password: "a long enough passphrase" });

/** Sends the form and returns what the visitor gets: HTTP status of the action and the text shown (the address masked). */
async function answerFor(page: Page, email: string) {
  const response = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signup");
  await submitSignup(page, form(email));
  return { status: (await response).status(), text: (await page.getByTestId("signup-sent").innerText()).replace(email, "<email>") };
}

test("sign-up answers an existing address exactly like a new one; the owner is emailed how to sign in, with no link", async ({
  page,
  browser,
}) => {
  const context = await browser.newContext();
  const owner = await signUpFreshAdmin(await context.newPage(), "owner");
  await context.close();
  const cursor = await mailCursor(page.request, owner.email);

  const fresh = await answerFor(page, uniqueEmail("newcomer"));
  const existing = await answerFor(page, owner.email);
  expect(existing).toEqual(fresh);
  expect(existing.status).toBe(200);
  expect(existing.text).toContain("Check your email");

  const notice = await latestMail(page.request, owner.email, { after: cursor });
  expect(notice.subject).toBe("Someone tried to sign up to Guardian with your email address");
  expect(notice.text).toContain(`It already belongs to your account at ${owner.org}`);
  expect(linkFrom(notice, "/login")).toBe("/login");
  expect(notice.text).not.toContain("/signup/confirm/");
  expect(notice.text).not.toContain(owner.password);
});

test("used, superseded and garbled sign-up links get a clear page, never an error", async ({ page }) => {
  const email = uniqueEmail("relink");
  await submitSignup(page, form(email, "First Try"));
  const first = await signupLinkFor(page, email);
  const cursor = await mailCursor(page.request, email);
  await submitSignup(page, form(email, "Second Try"));
  const second = await signupLinkFor(page, email, cursor);
  expect(second).not.toBe(first);

  // The older link stopped working when the newer one was sent.
  const older = await page.goto(first);
  expect(older!.status()).toBe(200);
  await expect(page.getByTestId("signup-link-invalid")).toHaveText(
    "This sign-up link is invalid, was already used or has expired. Sign up again to get a new link.",
  );
  await page.screenshot({ path: "e2e/screenshots/signup-link-invalid.png", fullPage: true });

  await page.goto(second);
  await expect(page.getByTestId("signup-org")).toHaveText("Second Try");
  await page.getByRole("form", { name: "Confirm sign-up" }).getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Confirm and create organisation" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation is ready — sign in" })).toBeVisible();
  await page.goto(second);
  await expect(page.getByTestId("signup-link-invalid")).toBeVisible();

  for (const path of [
    "/signup/confirm/not-a-real-token",
    `/signup/confirm/${"A".repeat(300)}`,
    "/signup/confirm/%E2%9C%93%00",
    "/signup/confirm/..%2F..%2Fetc",
  ]) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(200);
    await expect(page.getByTestId("signup-link-invalid")).toBeVisible();
  }
  await page.getByRole("link", { name: "Sign up again" }).click();
  await expect(page.getByRole("heading", { name: "Create your organisation" })).toBeVisible();
});

test("sign-up from one client address: the 11th request in an hour is refused with a clear message", async ({ page }) => {
  // One visitor's machine (its own loopback address: the browsers of other tests share 127.0.0.1).
  const from = freshLoopbackAddress();
  for (let i = 0; i < 10; i++) expect(await requestSignup(form(uniqueEmail("burst")), from)).not.toContain("Too many");
  const last = uniqueEmail("burst");
  expect(await requestSignup(form(last), from)).toContain("Too many sign-up attempts. Try again in 60 minutes.");
  // Another client (this browser) is still answered, with the same address.
  await submitSignup(page, form(last));
});

test("adding a member whose address has an account in another organisation looks like any invitation", async ({
  page,
  browser,
  adminPage: admin,
}) => {
  const context = await browser.newContext();
  const elsewhere = await signUpFreshAdmin(await context.newPage(), "taken");
  await context.close();
  await signUpFreshAdmin(page, { prefix: "inviter", org: "Inviting Org", name: "Ivan Inviter" });
  const fresh = uniqueEmail("fresh");
  const cursor = await mailCursor(page.request, elsewhere.email);

  const pages = [];
  for (const [name, email] of [
    ["Fresh Person", fresh],
    ["Known Person", elsewhere.email],
  ] as const) {
    await admin.addUser({ name, email, requireMfa: true });
    pages.push((await page.locator("main").innerText()).replaceAll(name, "<name>").replaceAll(email, "<email>"));
  }
  expect(pages[1]).toEqual(pages[0]);
  expect(pages[1]).toContain("An invitation was emailed to <email>");

  await admin.gotoMembers();
  const rowText = async (name: string, email: string) =>
    (await admin.row(email).innerText()).replaceAll(name, "<name>").replaceAll(email, "<email>");
  expect(await rowText("Known Person", elsewhere.email)).toEqual(await rowText("Fresh Person", fresh));
  await expect(admin.row(elsewhere.email)).toContainText("Invited");

  // Only the address learns that it cannot join a second organisation.
  const notice = await latestMail(page.request, elsewhere.email, { after: cursor });
  expect(notice.subject).toBe("Ivan Inviter invited you to Inviting Org on Guardian");
  expect(notice.text).toContain("already belongs to an account in another organisation");
  expect(notice.text).not.toContain("/invite/");
});
