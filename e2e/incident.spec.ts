/**
 * Issue #17: the 2FA policy page's danger zone. "Sign out everyone" bounces an agent's open browser to the
 * login page on its next request while the admin stays signed in; the agent is emailed; the admin's
 * alert switches live in Security › Notifications. Two browser contexts (admin and agent).
 */
import { expect, latestMail, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { expectAccessible } from "./helpers/axe";

const SHOTS = "e2e/screenshots";

test("Sign out everyone: the agent's open browser is signed out, the admin stays; password, reason and the organisation's name asked", async ({
  page,
  browser,
  request,
  adminPage: admin,
}) => {
  test.slow(); // two browsers and an invitation
  const org = "Incident Response Org";
  const { password } = await signUpFreshAdmin(page, { prefix: "incident", org, name: "Ines Incident", password: "ines's long passphrase" });
  const agentEmail = uniqueEmail("agent-open");
  await admin.addUser({ name: "Otto Open", email: agentEmail, requireMfa: false });
  const invitation = await latestMail(request, agentEmail, { subject: /invited you/ });
  const link = invitation.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];

  // The agent accepts and signs in, in their own browser, and keeps a page open.
  const context = await browser.newContext();
  const agent = await context.newPage();
  await agent.goto(new URL(link).pathname);
  await agent.getByLabel("Password", { exact: true }).fill("otto's long passphrase");
  await agent.getByLabel("Confirm password").fill("otto's long passphrase");
  await agent.getByRole("button", { name: "Set password" }).click();
  await expect(agent).toHaveURL(/\/login\?invited=1$/);
  await agent.getByLabel("Email").fill(agentEmail);
  await agent.getByLabel("Password").fill("otto's long passphrase");
  await agent.getByRole("button", { name: "Sign in" }).click();
  await expect(agent.getByRole("button", { name: "Sign out" })).toBeVisible();
  await agent.goto("/security/account");
  await expect(agent.getByRole("heading", { name: "Account", exact: true })).toBeVisible();

  await admin.gotoSettings();
  const zone = page.getByTestId("danger-sign-out-everyone");
  await zone.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/danger-zone.png`, fullPage: true });

  // A mistyped organisation name changes nothing.
  await zone.getByLabel(/^Reason/).fill("A laptop was stolen");
  await zone.getByLabel("Your password").fill(password);
  await zone.getByLabel(/Type the organisation's name/).fill("incident response org");
  await zone.getByRole("button", { name: "Sign out everyone" }).click();
  await expect(zone.getByText("Type the organisation's name exactly as shown.")).toBeVisible();
  await agent.reload();
  await expect(agent.getByRole("heading", { name: "Account", exact: true })).toBeVisible();

  await zone.getByLabel(/^Reason/).fill("A laptop was stolen");
  await zone.getByLabel("Your password").fill(password);
  await zone.getByLabel(/Type the organisation's name/).fill(org);
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
