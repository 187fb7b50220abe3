/**
 * Issue #17: the 2FA policy page's danger zone. "Sign out everyone" bounces an agent's open browser to the
 * login page on its next request while the admin stays signed in; the agent is emailed; the admin's
 * alert switches live in Security › Notifications. "Require everyone to set up 2FA again" (agents) takes the
 * agent's authenticator away and their next sign-in goes straight to setting up 2FA, with no skipping.
 * Two browser contexts (admin and agent).
 */
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { Authenticator, expect, latestMail, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { expectAccessible } from "./helpers/axe";
import type { AdminPage } from "./pages/admin";

const SHOTS = "e2e/screenshots";
const AGENT_PASSWORD = "otto's long passphrase";

/** An agent added by the admin, who accepts the invitation and signs in in their own browser. */
async function agentSignedIn(browser: Browser, request: APIRequestContext, admin: AdminPage) {
  const email = uniqueEmail("agent-open");
  await admin.addUser({ name: "Otto Open", email, requireMfa: false });
  const invitation = await latestMail(request, email, { subject: /invited you/ });
  const link = invitation.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];
  const context = await browser.newContext();
  const agent = await context.newPage();
  await agent.goto(new URL(link).pathname);
  await agent.getByLabel("Password", { exact: true }).fill(AGENT_PASSWORD);
  await agent.getByLabel("Confirm password").fill(AGENT_PASSWORD);
  await agent.getByRole("button", { name: "Set password" }).click();
  await expect(agent).toHaveURL(/\/login\?invited=1$/);
  await signIn(agent, email);
  await expect(agent.getByRole("button", { name: "Sign out" })).toBeVisible();
  return { email, context, agent };
}

async function signIn(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(AGENT_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Fills a danger-zone form: reason, password, the organisation's name. */
async function confirm(form: ReturnType<Page["getByTestId"]>, input: { reason: string; password: string; orgName: string }) {
  await form.getByLabel(/^Reason/).fill(input.reason);
  await form.getByLabel("Your password").fill(input.password);
  await form.getByLabel(/Type the organisation's name/).fill(input.orgName);
}

test("Sign out everyone: the agent's open browser is signed out, the admin stays; password, reason and the organisation's name asked", async ({
  page,
  browser,
  request,
  adminPage: admin,
}) => {
  test.slow(); // two browsers and an invitation
  const org = "Incident Response Org";
  const { password } = await signUpFreshAdmin(page, { prefix: "incident", org, name: "Ines Incident", password: "ines's long passphrase" });
  const { email: agentEmail, context, agent } = await agentSignedIn(browser, request, admin);
  await agent.goto("/security/account");
  await expect(agent.getByRole("heading", { name: "Account", exact: true })).toBeVisible();

  await admin.gotoSettings();
  const zone = page.getByTestId("danger-sign-out-everyone");
  await zone.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/danger-zone.png`, fullPage: true });

  // A mistyped organisation name changes nothing.
  await confirm(zone, { reason: "A laptop was stolen", password, orgName: "incident response org" });
  await zone.getByRole("button", { name: "Sign out everyone" }).click();
  await expect(zone.getByText("Type the organisation's name exactly as shown.")).toBeVisible();
  await agent.reload();
  await expect(agent.getByRole("heading", { name: "Account", exact: true })).toBeVisible();

  await confirm(zone, { reason: "A laptop was stolen", password, orgName: org });
  await zone.getByRole("button", { name: "Sign out everyone" }).click();
  await expect(zone.getByText(/Everyone else is signed out: 1 session ended/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/danger-zone-done.png`, fullPage: true });

  // The agent's browser still holds its cookie; the server refuses it on the next request.
  await agent.getByRole("link", { name: "Home" }).click();
  await expect(agent).toHaveURL(/\/login/);
  await expect(agent.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // The admin is still signed in here.
  await page.goto("/admin/audit");
  await expect(page.getByRole("row", { name: /Everyone signed out \(incident response\).*Reason: A laptop was stolen/ })).toBeVisible();

  // One email to the agent (sent by the job runner), with the reason.
  const notice = await latestMail(request, agentEmail, { subject: /signed out by your admin/ });
  expect(notice.text).toContain("Reason given: A laptop was stolen");
  await context.close();

  // The admin's own alert switches.
  await page.goto("/security/notifications");
  await expect(page.getByRole("heading", { name: "Notifications", exact: true })).toBeVisible();
  await page.getByTestId("alert-weekly-digest").uncheck();
  await page.getByRole("button", { name: "Save notification settings" }).click();
  await expect(page.getByText("Saved. 1 kind is switched off for you.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("alert-weekly-digest")).not.toBeChecked();
  await expect(page.getByTestId("alert-mfa-locked")).toBeChecked();
  await page.screenshot({ path: `${SHOTS}/security-notifications.png`, fullPage: true });
  await expectAccessible(page, "/security/notifications (admin)");
});

test("Require agents to set up 2FA again: the agent's authenticator goes, and their next sign-in must set up 2FA, no skipping", async ({
  page,
  browser,
  request,
  adminPage: admin,
}) => {
  test.slow();
  const org = "Reset Response Org";
  const { password } = await signUpFreshAdmin(page, { prefix: "reset-all", org, name: "Rhea Reset", password: "rhea's long passphrase" });
  const { email: agentEmail, context, agent } = await agentSignedIn(browser, request, admin);
  await agent.goto("/security/two-factor");
  await agent.getByRole("link", { name: "Add authenticator app" }).click();
  const app = new Authenticator(await agent.getByTestId("totp-secret").innerText());
  const enrol = agent.getByRole("form", { name: "Confirm authenticator app" });
  await enrol.getByLabel("6-digit code").fill(await app.nextCode());
  await enrol.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(agent.getByTestId("totp-success")).toBeVisible();

  await admin.gotoSettings();
  const zone = page.getByTestId("danger-reset-2fa");
  await zone.getByLabel("Whose 2FA").selectOption("agent");
  await confirm(zone, { reason: "Phishing kit aimed at agents", password, orgName: org });
  await zone.getByRole("button", { name: "Remove 2FA and require it again" }).click();
  await expect(zone.getByText(/Two-factor authentication removed for 1 member \(1 factor, 10 recovery codes\)/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/danger-zone-reset-done.png`, fullPage: true });
  await admin.gotoMembers();
  await expect(admin.row(agentEmail).getByTestId("mfa-status")).toHaveText("Required now (overdue)");

  // The agent is signed out; signing in again leads straight to setting up 2FA, without a way to skip.
  await agent.goto("/security/account");
  await expect(agent).toHaveURL(/\/login/);
  await signIn(agent, agentEmail);
  await expect(agent.getByRole("heading", { name: "Set up two-factor authentication" })).toBeVisible();
  await expect(agent.getByRole("button", { name: /Skip until/ })).toHaveCount(0);
  const notice = await latestMail(request, agentEmail, { subject: /Set up two-factor authentication again/ });
  expect(notice.text).toContain("Reason given: Phishing kit aimed at agents");
  expect(notice.text).not.toContain(app.secret);
  await context.close();
});
