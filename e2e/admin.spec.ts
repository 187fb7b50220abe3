/**
 * Organisation admin: adding a member with an invitation, enforcing 2FA, the organisation policy with
 * its preview and guardrail, and agents kept out. Tests that change state use users and organisations
 * they create; the demo organisation's policy is never changed here (other specs sign in as its agents).
 */
import type { APIRequestContext } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { Authenticator } from "./helpers/totp";
import { dayFromNow } from "./pages/admin";

type Mail = { id: number; to: string; subject: string; text: string };

/** The newest dev-mailbox message to `to` (GET /api/dev/mail), waiting for it to arrive. */
async function latestMailTo(request: APIRequestContext, to: string, after = 0) {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/dev/mail?to=${encodeURIComponent(to)}&after=${after}`);
        found = res.ok() ? ((await res.json()) as Mail[])[0] : undefined;
        return found?.id ?? null;
      },
      { message: `an email to ${to} in the dev mailbox` },
    )
    .not.toBeNull();
  return found!;
}

/**
 * `next dev` compiles a route on its first request, and a compile while another page waits on a server
 * action can drop that action's answer. Open every admin screen once (per worker) before the tests.
 */
test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await browser.newPage();
  try {
    await page.goto("/login");
    await page.getByLabel("Email").fill(DEMO.admin);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 120_000 });
    for (const path of ["/admin", "/admin/settings", "/admin/members/new", "/admin/members", "/invite/not-a-real-token"]) {
      await page.goto(path, { timeout: 120_000 });
    }
    await page.goto("/admin/members");
    await page
      .getByRole("link", { name: /^Manage/ })
      .first()
      .click();
    await expect(page.getByRole("heading", { name: "Role" })).toBeVisible({ timeout: 120_000 });
    await page.request.get("/admin/members/export", { timeout: 120_000 });
  } finally {
    await page.close();
  }
});

test("the admin adds an agent with Require 2FA; the agent accepts the emailed invitation and is sent to sign in", async ({
  page,
  browser,
  loginPage,
  request,
  adminPage: admin,
}) => {
  const email = uniqueEmail("invitee");
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await page.goto("/admin/members/new");
  await page.screenshot({ path: "e2e/screenshots/admin-add-user.png", fullPage: true });
  await admin.addUser({ name: "Ivy Invitee", email, requireMfa: true });
  await expect(page.getByText(`An invitation was emailed to ${email}`)).toBeVisible();
  await expect(admin.enforceSwitch("Ivy Invitee")).toHaveAttribute("aria-checked", "true");
  await page.screenshot({ path: "e2e/screenshots/admin-member.png", fullPage: true });

  await admin.gotoMembers();
  await expect(admin.row(email).getByText("Invited")).toBeVisible();
  await expect(admin.row(email).getByTestId("mfa-status")).toHaveText("Required now (overdue)");

  const mail = await latestMailTo(request, email);
  expect(mail.subject).toContain("Acme Support");
  const link = mail.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, "an invitation link in the email").toBeTruthy();
  const path = new URL(link!).pathname;

  // The invitee, in their own browser.
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(path);
  await expect(invitee.getByRole("heading", { name: "Join Acme Support" })).toBeVisible();
  await expect(invitee.getByText(email)).toBeVisible();
  await invitee.screenshot({ path: "e2e/screenshots/invite-accept.png", fullPage: true });
  await invitee.getByLabel("Password", { exact: true }).fill("short");
  await invitee.getByLabel("Confirm password").fill("short");
  await invitee.getByRole("button", { name: "Set password" }).click();
  await expect(invitee.getByText("Use at least 8 characters.")).toBeVisible();
  await invitee.getByLabel("Password", { exact: true }).fill("ivy's long passphrase");
  await invitee.getByLabel("Confirm password").fill("ivy's long passphrase");
  await invitee.getByRole("button", { name: "Set password" }).click();
  await expect(invitee).toHaveURL(/\/login\?invited=1$/);
  await expect(invitee.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // No session was created by accepting.
  const session = await (await invitee.request.get("/api/auth/session")).json();
  expect(session?.claims ?? null).toBeNull();

  // The link works once.
  await invitee.goto(path);
  await expect(invitee.getByTestId("invitation-invalid")).toBeVisible();
  await invitee.screenshot({ path: "e2e/screenshots/invite-invalid.png", fullPage: true });

  // Signing in with the new password: 2FA is required, so the login goes on to 2FA setup, not into the app.
  await invitee.goto("/login");
  await invitee.getByLabel("Email").fill(email);
  await invitee.getByLabel("Password").fill("ivy's long passphrase");
  await invitee.getByRole("button", { name: "Sign in" }).click();
  await expect(invitee).toHaveURL(/\/login\/setup/);
  await context.close();
});

test("the admin toggles Enforce 2FA on an existing agent, visible in the table, and exports the table as CSV", async ({
  page,
  loginPage,
  adminPage: admin,
}) => {
  const email = uniqueEmail("enforce");
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await admin.addUser({ name: "Toggle Agent", email, requireMfa: false });

  await admin.gotoMembers();
  const toggle = admin.row(email).getByRole("switch", { name: "Enforce 2FA for Toggle Agent" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(admin.row(email).getByTestId("mfa-status")).toHaveText("Not set up");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(admin.row(email).getByTestId("mfa-status")).toHaveText("Required now (overdue)");
  await page.reload();
  await expect(admin.row(email).getByRole("switch", { name: "Enforce 2FA for Toggle Agent" })).toHaveAttribute("aria-checked", "true");
  await page.screenshot({ path: "e2e/screenshots/admin-members.png", fullPage: true });

  // The filter shows them under "Overdue", not under "2FA not set up".
  await page.getByLabel("2FA status").selectOption("overdue");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=overdue/);
  await expect(admin.row(email)).toBeVisible();
  await admin.gotoMembers("not_set_up");
  await expect(admin.row(email)).toHaveCount(0);
  await expect(admin.row(DEMO.agents[0]!)).toBeVisible();

  const csv = await page.request.get("/admin/members/export");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"$/);
  const body = await csv.text();
  expect(body).toContain(`"Toggle Agent","${email}","agent","Overdue"`);
  expect(body).toContain('"admin@acme.test"');

  // Small screens: the table scrolls sideways inside its card, the page does not.
  await page.setViewportSize({ width: 390, height: 844 });
  await admin.gotoMembers();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/admin-members-mobile.png", fullPage: true });

  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "e2e/screenshots/admin-members-mobile-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // Back off again.
  await page.setViewportSize({ width: 1280, height: 900 });
  await admin.gotoMembers();
  await admin.row(email).getByRole("switch", { name: "Enforce 2FA for Toggle Agent" }).click();
  await expect(admin.row(email).getByRole("switch", { name: "Enforce 2FA for Toggle Agent" })).toHaveAttribute("aria-checked", "false");
});

test("the demo admin sees who is affected before requiring 2FA, and is asked to set up their own 2FA first", async ({
  page,
  loginPage,
  adminPage: admin,
}) => {
  const grace = dayFromNow(6);
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await admin.gotoSettings();
  await expect(page.getByText("Email is the weaker method")).toBeVisible();
  await expect(page.getByText("NIST SP 800-63B does not allow email")).toBeVisible();
  await page.getByLabel("Require two-factor authentication for everyone in the organisation").check();
  await page.getByLabel("Members may skip setup until (optional)").fill(grace.iso);
  await expect(admin.preview()).toContainText(
    new RegExp(`\\d+ members have not set up 2FA; they will be asked at their next login, after ${grace.label} they cannot skip\\.`),
  );
  await expect(page.getByText("Set up your own 2FA first")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/admin-settings-preview.png", fullPage: true });
  // Save is not offered until their own 2FA is on, and says why; "Set up my 2FA now" is the way on.
  const save = page.getByRole("button", { name: "Save settings" });
  await expect(save).toBeDisabled();
  await expect(save).toHaveAccessibleDescription(/Saving needs your own two-factor authentication first/);
  await expect(page.getByRole("link", { name: "Set up my 2FA now" })).toBeVisible();
  // The server refuses it anyway (S28): a form sent around the disabled button gets the refusal and the way out.
  await page.getByRole("form", { name: "Two-factor policy" }).evaluate((form: HTMLFormElement) => form.requestSubmit());
  await expect(page.getByTestId("form-error")).toContainText("Set up two-factor authentication on your own account before requiring it");
  await expect(page.getByTestId("setup-2fa-link")).toHaveAttribute("href", "/security/two-factor");
  // Nothing was saved.
  await page.goto("/admin");
  await expect(page.getByTestId("policy-requirement")).toHaveText("Optional: members choose whether to set up 2FA.");
});

test("an admin with 2FA requires it for everyone with a grace date; members show as due", async ({ page, adminPage: admin }) => {
  test.slow(); // enrols an authenticator app, which may wait for the next 30-second code
  const grace = dayFromNow(6);
  const { email: founder } = await signUpFreshAdmin(page, {
    prefix: "policy",
    org: "Policy Org",
    name: "Pat Policy",
    password: "pat's long passphrase",
  });
  const members = [uniqueEmail("m1"), uniqueEmail("m2")];
  for (const [i, email] of members.entries()) await admin.addUser({ name: `Member ${i + 1}`, email, requireMfa: false });

  // The admin sets up an authenticator app in Security (the TOTP feature).
  await page.goto("/security/two-factor");
  await page.getByRole("link", { name: "Add authenticator app" }).click();
  const app = new Authenticator(await page.getByTestId("totp-secret").innerText());
  const form = page.getByRole("form", { name: "Confirm authenticator app" });
  await form.getByLabel("6-digit code").fill(await app.nextCode());
  await form.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByTestId("totp-success")).toBeVisible();

  await admin.gotoSettings();
  await page.getByLabel("Require two-factor authentication for everyone in the organisation").check();
  await expect(admin.preview()).toContainText(
    "2 members have not set up 2FA; they must set it up at their next login before they can continue.",
  );
  await page.getByLabel("Members may skip setup until (optional)").fill(grace.iso);
  const expected = `2 members have not set up 2FA; they will be asked at their next login, after ${grace.label} they cannot skip.`;
  await expect(admin.preview()).toContainText(expected);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toHaveText(`Settings saved. ${expected}`);
  await expect(page.getByLabel("Require two-factor authentication for everyone in the organisation")).toBeChecked();
  await page.screenshot({ path: "e2e/screenshots/admin-settings-saved.png", fullPage: true });
  await admin.gotoSettings();
  await expect(page.getByLabel("Require two-factor authentication for everyone in the organisation")).toBeChecked();
  await expect(page.getByLabel("Members may skip setup until (optional)")).toHaveValue(grace.iso);

  await page.goto("/admin");
  await expect(page.getByTestId("policy-requirement")).toContainText(`Members may skip setup until the end of ${grace.label}`);
  await page.screenshot({ path: "e2e/screenshots/admin-overview.png", fullPage: true });
  await admin.gotoMembers("due");
  for (const email of members) await expect(admin.row(email).getByTestId("mfa-status")).toHaveText(`Required, due ${grace.label}`);
  await expect(admin.row(founder).getByTestId("mfa-status")).toHaveCount(0);
});

test("an agent cannot open the admin pages or export", async ({ page, loginPage, request }) => {
  await loginPage.login(DEMO.agents[1]!, DEMO_PASSWORD);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisation" })).toHaveCount(0);
  for (const path of [
    "/admin",
    "/admin/settings",
    "/admin/members",
    "/admin/members/new",
    "/admin/members/00000000-0000-4000-8000-000000000000",
  ]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/\?forbidden=1$/);
    await expect(page.getByTestId("home-name")).toBeVisible();
    await expect(page.getByTestId("members-table")).toHaveCount(0);
    await expect(page.getByTestId("policy-preview")).toHaveCount(0);
  }
  const csv = await page.request.get("/admin/members/export");
  expect(csv.status()).toBe(403);
  expect(await csv.text()).not.toContain("@acme.test");
  // Signed out: no CSV either.
  const anonymous = await request.get("/admin/members/export", { maxRedirects: 0 });
  expect([401, 307]).toContain(anonymous.status());
});

test("Remove 2FA for a member who lost their device: password and reason, member signed out and emailed", async ({
  page,
  browser,
  request,
  adminPage: admin,
}) => {
  test.slow(); // two browsers, an invitation and an authenticator enrolment
  await signUpFreshAdmin(page, { prefix: "remover", org: "Removal Org", name: "Rita Remover", password: "rita's long passphrase" });
  const memberEmail = uniqueEmail("lostphone");
  const memberUrl = await admin.addUser({ name: "Lou Lostphone", email: memberEmail, requireMfa: false });
  const invitation = await latestMailTo(request, memberEmail);
  const link = invitation.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];

  // The member accepts, signs in (2FA optional here) and sets up an authenticator app.
  const context = await browser.newContext();
  const member = await context.newPage();
  await member.goto(new URL(link).pathname);
  await member.getByLabel("Password", { exact: true }).fill("lou's long passphrase");
  await member.getByLabel("Confirm password").fill("lou's long passphrase");
  await member.getByRole("button", { name: "Set password" }).click();
  await expect(member).toHaveURL(/\/login\?invited=1$/);
  await member.getByLabel("Email").fill(memberEmail);
  await member.getByLabel("Password").fill("lou's long passphrase");
  await member.getByRole("button", { name: "Sign in" }).click();
  await expect(member.getByRole("button", { name: "Sign out" })).toBeVisible();
  await member.goto("/security/two-factor");
  await member.getByRole("link", { name: "Add authenticator app" }).click();
  const app = new Authenticator(await member.getByTestId("totp-secret").innerText());
  const form = member.getByRole("form", { name: "Confirm authenticator app" });
  await form.getByLabel("6-digit code").fill(await app.nextCode());
  await form.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(member.getByTestId("totp-success")).toBeVisible();

  // The admin removes it.
  await page.goto(memberUrl.replace(/\?.*$/, ""));
  await expect(page.getByTestId("mfa-status")).toHaveText("Enabled: Authenticator app");
  const removal = page.getByRole("form", { name: "Remove 2FA" });
  await removal.getByLabel("Reason").fill("Lost phone, confirmed by a call");
  await removal.getByLabel("Your password").fill("not my password");
  await removal.getByRole("button", { name: "Remove 2FA" }).click();
  await expect(removal.getByText("Incorrect password.")).toBeVisible();
  await expect(removal.getByLabel("Reason")).toHaveValue("Lost phone, confirmed by a call");
  await page.screenshot({ path: "e2e/screenshots/admin-remove-2fa.png", fullPage: true });
  await removal.getByLabel("Your password").fill("rita's long passphrase");
  await removal.getByRole("button", { name: "Remove 2FA" }).click();
  await expect(page.getByTestId("member-notice")).toHaveText(
    "Two-factor authentication was removed and the member was signed out everywhere. They were notified by email.",
  );
  await expect(page.getByRole("form", { name: "Remove 2FA" })).toHaveCount(0);
  await page.screenshot({ path: "e2e/screenshots/admin-remove-2fa-done.png", fullPage: true });
  await expect(page.getByTestId("mfa-status")).toHaveText("Not set up");

  // The member's session is over, and they were told.
  await member.goto("/profile");
  await expect(member).toHaveURL(/\/login/);
  const notice = await latestMailTo(request, memberEmail, invitation.id);
  expect(notice.subject).toContain("security notice");
  expect(notice.text).toContain("An administrator (Rita Remover) removed two-factor authentication");
  expect(notice.text).not.toContain(app.secret);
  await context.close();
});

test("pending invitations are listed with Resend and Revoke; revoking asks first and ends the link", async ({
  page,
  loginPage,
  request,
  adminPage: admin,
}) => {
  const email = uniqueEmail("pending");
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await admin.addUser({ name: "Penny Pending", email, requireMfa: false });
  const first = await latestMailTo(request, email);
  const oldPath = new URL(first.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0]).pathname;

  await admin.gotoMembers();
  const item = page.locator(`[data-testid="pending-invitation"][data-email="${email}"]`);
  await expect(item).toContainText("Penny Pending");
  await expect(item).toContainText("Link valid until");

  // Resend: a new link, and the old one stops working.
  await item.getByRole("button", { name: "Resend" }).click();
  await expect(item.getByText("A new invitation was sent. Earlier links no longer work.")).toBeVisible();
  await page.goto(oldPath);
  await expect(page.getByTestId("invitation-invalid")).toBeVisible();

  // Revoke: asks first; "Keep it" changes nothing; confirming removes the invitation.
  await admin.gotoMembers();
  await item.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(item.getByText(`Revoke the invitation to ${email}? Its links stop working.`)).toBeVisible();
  await item.getByRole("button", { name: "Keep it" }).click();
  await expect(item.getByRole("button", { name: "Revoke invitation" })).toHaveCount(0);
  await item.getByRole("button", { name: "Revoke", exact: true }).click();
  await item.getByRole("button", { name: "Revoke invitation" }).click();
  await expect(item).toHaveCount(0);
  await expect(admin.row(email)).toHaveCount(0);
  const newest = await latestMailTo(request, email, first.id);
  await page.goto(new URL(newest.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0]).pathname);
  await expect(page.getByTestId("invitation-invalid")).toBeVisible();
});
