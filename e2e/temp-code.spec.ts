/**
 * Issue #12, part 2: an agent who lost their phone calls the admin, who issues a temporary access code
 * on the member page (own password and a reason); the agent signs in with their password and the code,
 * lands on their 2FA settings with a notice, and sets up a new authenticator. Everything runs in a
 * fresh organisation with a member created for the test, so no other spec is disturbed.
 */
import { expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { latestMail, mailCursor } from "./helpers/mailbox";
import { AdminPage } from "./pages/admin";
import { LoginPage } from "./pages/login-page";
import { TwoFactorPage } from "./pages/two-factor";

const MEMBER_PASSWORD = "lou's long passphrase";

test("an agent who lost their phone signs in with a temporary code from the admin and sets up a new authenticator", async ({
  page,
  browser,
  request,
}) => {
  test.slow(); // two browsers, an invitation and two authenticator enrolments
  const admin = new AdminPage(page);
  const founder = await signUpFreshAdmin(page, "tempcode");
  const memberEmail = uniqueEmail("lostphone");
  const memberUrl = (await admin.addUser({ name: "Lou Lostphone", email: memberEmail, requireMfa: false })).replace(/\?.*$/, "");
  const invitation = await latestMail(request, memberEmail, { subject: /invit/i });
  const link = invitation.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];

  // The member joins and sets up an authenticator app on their phone.
  const context = await browser.newContext();
  const member = await context.newPage();
  const memberLogin = new LoginPage(member);
  const memberTwoFactor = new TwoFactorPage(member);
  await member.goto(new URL(link).pathname);
  await member.getByLabel("Password", { exact: true }).fill(MEMBER_PASSWORD);
  await member.getByLabel("Confirm password").fill(MEMBER_PASSWORD);
  await member.getByRole("button", { name: "Set password" }).click();
  await expect(member).toHaveURL(/\/login\?invited=1$/);
  await memberLogin.submitPassword(memberEmail, MEMBER_PASSWORD);
  await expect(member.getByRole("button", { name: "Sign out" })).toBeVisible();
  const { app: lostPhone } = await memberTwoFactor.enrolTotp("Phone");
  await memberTwoFactor.finishEnrolment();
  await memberLogin.logout();
  expect(lostPhone.secret).toBeTruthy(); // ...and then the phone is lost: its codes are never typed again.

  // The admin, on the phone with the member, issues a code.
  await page.goto(memberUrl);
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Temporary access code" }) });
  await expect(section.getByTestId("temp-codes-none")).toBeVisible();
  const form = section.getByRole("form", { name: "Issue a temporary access code" });
  await expect(form.getByLabel("Valid for")).toHaveValue("1");
  await form.getByLabel("Reason").fill("Lost phone, confirmed by a call");
  await form.getByLabel("Your password").fill("not my password");
  await form.getByRole("button", { name: "Issue code" }).click();
  await expect(form.getByText("Incorrect password.")).toBeVisible();
  await expect(form.getByLabel("Reason")).toHaveValue("Lost phone, confirmed by a call");
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "e2e/screenshots/temp-code-issue-form.png", fullPage: true });
  const cursor = await mailCursor(request, memberEmail);
  await form.getByLabel("Valid for").selectOption("2");
  await form.getByLabel("Your password").fill(founder.password);
  await form.getByRole("button", { name: "Issue code" }).click();
  const shown = section.getByTestId("temp-code");
  await expect(shown).toHaveText(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  const code = (await shown.innerText()).trim();
  await expect(section.getByTestId("temp-code-row")).toHaveCount(1);
  await expect(section.getByTestId("temp-code-row")).toContainText(`Issued by Fresh tempcode`);
  await page.screenshot({ path: "e2e/screenshots/temp-code-issued.png", fullPage: true });
  await section.getByRole("button", { name: "Done, hide the code" }).click();
  await expect(section.getByTestId("temp-code")).toHaveCount(0);

  // The member was told a code was issued, without the code.
  const notice = await latestMail(request, memberEmail, { after: cursor, subject: "temporary access code was issued" });
  expect(notice.text).toContain("An administrator (Fresh tempcode) issued a temporary access code");
  expect(notice.text + notice.html).not.toContain(code.replace(/-/g, ""));
  expect(notice.text + notice.html).not.toContain(code);

  // The member signs in: password, then the code in place of the phone (typed loosely, as heard).
  await memberLogin.goto();
  await memberLogin.submitPassword(memberEmail, MEMBER_PASSWORD);
  await expect(member.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await member.getByRole("button", { name: "Use a temporary access code from your admin" }).click();
  const codeForm = member.getByRole("form", { name: "Sign in with a temporary access code" });
  await codeForm.getByLabel("Temporary access code").fill("ZZZZ-ZZZZ-ZZZZ");
  await codeForm.getByRole("button", { name: "Verify temporary code" }).click();
  await expect(codeForm.getByText("That temporary access code is not valid. Check it with your administrator.")).toBeVisible();
  await member.screenshot({ path: "e2e/screenshots/temp-code-login.png", fullPage: true });
  await codeForm.getByLabel("Temporary access code").fill(` ${code.toLowerCase().replace(/-/g, " ")} `);
  await codeForm.getByRole("button", { name: "Verify temporary code" }).click();
  await expect(member).toHaveURL(/\/security\/two-factor\?notice=temp-code$/);
  await expect(member.getByTestId("temp-code-notice")).toContainText("Add a new authenticator app below, then remove the one you lost.");
  await member.screenshot({ path: "e2e/screenshots/temp-code-landing.png", fullPage: true });
  const used = await latestMail(request, memberEmail, { after: cursor, subject: "A temporary access code was used" });
  expect(used.text).not.toContain(code.replace(/-/g, ""));

  // A new authenticator, then the lost one goes.
  const { app: newPhone } = await memberTwoFactor.enrolTotp("New phone");
  await memberTwoFactor.finishEnrolment();
  const old = memberTwoFactor.factorRow("Phone");
  await old.locator("summary", { hasText: "Remove" }).click();
  await old.getByLabel("Password").fill(MEMBER_PASSWORD);
  await old.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(member.getByText("The second factor was removed.")).toBeVisible();
  await expect(memberTwoFactor.factorRow("Phone")).toHaveCount(0);
  await expect(memberTwoFactor.factorRow("New phone")).toHaveCount(1);

  // Next sign-in: the new phone works; the used code does not.
  await memberLogin.logout();
  await memberLogin.goto();
  await memberLogin.submitPassword(memberEmail, MEMBER_PASSWORD);
  await member.getByRole("button", { name: "Use a temporary access code from your admin" }).click();
  await codeForm.getByLabel("Temporary access code").fill(code);
  await codeForm.getByRole("button", { name: "Verify temporary code" }).click();
  await expect(codeForm.getByText("This temporary access code was already used. Ask your administrator for a new one.")).toBeVisible();
  await member.getByRole("button", { name: "Use your authenticator app instead" }).click();
  await memberTwoFactor.submitTotp(await newPhone.nextCode());
  await expect(member.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  await context.close();

  // The admin sees no live code any more, and the story in the audit log.
  await page.goto(memberUrl);
  await expect(page.getByTestId("temp-codes-none")).toBeVisible();
  await page.goto("/admin/audit");
  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ has: page.getByRole("cell", { name: "Temporary access code issued", exact: true }) })).toContainText(
    "Reason: Lost phone, confirmed by a call",
  );
  await expect(rows.filter({ has: page.getByRole("cell", { name: "Temporary access code used", exact: true }) })).toHaveCount(1);
  await page.screenshot({ path: "e2e/screenshots/temp-code-audit.png", fullPage: true });

  // Another code, then the organisation turns codes off on the policy page: the live code ends (S38).
  await page.goto(memberUrl);
  const again = page.getByRole("form", { name: "Issue a temporary access code" });
  await again.getByLabel("Reason").fill("Testing the off switch");
  await again.getByLabel("Your password").fill(founder.password);
  await again.getByRole("button", { name: "Issue code" }).click();
  await expect(page.getByTestId("temp-code")).toBeVisible();
  await expect(page.getByTestId("temp-code-row")).toHaveCount(1);
  await admin.gotoSettings();
  const switchBox = page.getByLabel("Admins may issue temporary access codes");
  await expect(switchBox).toBeChecked();
  await page.screenshot({ path: "e2e/screenshots/temp-code-settings.png", fullPage: true });
  await switchBox.uncheck();
  await expect(page.getByLabel("Longest validity admins may choose (hours)")).toBeDisabled();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("form-success")).toContainText("1 temporary access code was revoked.");
  await page.goto(memberUrl);
  await expect(page.getByTestId("temp-codes-none")).toBeVisible();
  await expect(page.getByTestId("temp-code-unavailable")).toContainText("Temporary access codes are turned off");
  await page.goto("/admin/settings");
  await expect(page.getByLabel("Admins may issue temporary access codes")).not.toBeChecked();
});
