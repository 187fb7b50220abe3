/**
 * Admin screens (issue 13): requiring 2FA without one's own (flow 4: Save disabled with the reason,
 * "Set up my 2FA now" and back with the form as it was), field errors that take the focus (flow 7),
 * Deactivate behind a dialog and Enforce 2FA with Undo (flow 5), audit details in words.
 */
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { Authenticator } from "./helpers/totp";
import { AdminPage, dayFromNow } from "./pages/admin";

test("an admin without 2FA is sent to set it up and comes back to the policy as they left it", async ({ page, twoFactor }) => {
  test.setTimeout(150_000);
  await signUpFreshAdmin(page, "returner");
  const admin = new AdminPage(page);
  const grace = dayFromNow(9);
  await admin.gotoSettings();
  const require = page.getByLabel("Require two-factor authentication for everyone in the organisation");
  const save = page.getByRole("button", { name: "Save settings" });
  await expect(save).toBeEnabled();
  await require.check();
  await page.getByLabel("Members may skip setup until (optional)").fill(grace.iso);
  await page.getByLabel("Remember a device for (days)").fill("14");
  await page.getByLabel("Email codes").uncheck();
  await expect(admin.preview()).toContainText(
    `1 member has not set up 2FA; they will be asked at their next login, after ${grace.label} they cannot skip.`,
  );
  await expect(save).toBeDisabled();
  await expect(save).toHaveAccessibleDescription(/Saving needs your own two-factor authentication first/);
  await page.screenshot({ path: "e2e/screenshots/admin-settings-own-2fa.png", fullPage: true });

  await page.getByRole("link", { name: "Set up my 2FA now" }).click();
  await expect(page).toHaveURL(/\/security\/two-factor\?return=/);
  await expect(page.getByText("Your own 2FA first")).toBeVisible();
  await page.getByRole("link", { name: "Add authenticator app" }).click();
  const app = new Authenticator(await page.getByTestId("totp-secret").innerText());
  await page.getByLabel("6-digit code").fill(await app.nextCode());
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  const dialog = twoFactor.successDialog();
  await dialog.getByLabel("I have saved these recovery codes").check();
  await dialog.getByRole("button", { name: "Back to the 2FA policy" }).click();

  // The form as it was: nothing was saved on the way.
  await expect(page.getByRole("heading", { name: "Two-factor authentication policy" })).toBeVisible();
  await expect(page.getByText("Your changes are back")).toBeVisible();
  await expect(require).toBeChecked();
  await expect(page.getByLabel("Members may skip setup until (optional)")).toHaveValue(grace.iso);
  await expect(page.getByLabel("Remember a device for (days)")).toHaveValue("14");
  await expect(page.getByLabel("Authenticator app")).toBeChecked();
  await expect(page.getByLabel("Email codes")).not.toBeChecked();
  await expect(admin.preview()).toContainText("Everyone has set up 2FA already"); // the admin, now

  // Field errors: only under the field, and the focus goes there (a mouse click on Save had it).
  const graceField = page.getByLabel("Members may skip setup until (optional)");
  await graceField.fill(dayFromNow(-3).iso);
  await save.click();
  await expect(page.getByText("Choose today or a later date.")).toBeVisible();
  await expect(page.getByText("Please correct the highlighted fields.")).toHaveCount(0);
  await expect(graceField).toBeFocused();
  await expect(graceField).toHaveAccessibleDescription(/Choose today or a later date\./);
  // No method left at all (email codes were already off): refused, at the Require box.
  await page.getByLabel("Authenticator app").uncheck();
  await page.getByLabel("Security keys and passkeys").uncheck();
  await graceField.fill(grace.iso);
  await save.click();
  await expect(page.getByText("Allow at least one method before requiring two-factor authentication.")).toBeVisible();
  await expect(require).toBeFocused();
  await page.getByLabel("Authenticator app").check();
  await page.getByLabel("Security keys and passkeys").check();
  await save.click();
  await expect(page.getByTestId("form-success")).toContainText("Settings saved.");
  await expect(page.getByText("Your changes are back")).toHaveCount(0);

  // The audit log tells it in words.
  await page.goto("/admin/audit");
  const added = page.locator('[data-testid="audit-row"][data-event="mfa.factor.added"]');
  await expect(added).toContainText("Method: Authenticator app · Name: Authenticator app · First method: recovery codes created");
  const policy = page.locator('[data-testid="audit-row"][data-event="admin.policy.updated"]');
  await expect(policy).toContainText("Changed: email codes allowed, 2FA required, grace period, remembered-browser days");
  await expect(page.getByTestId("audit-table")).not.toContainText(/recoveryCodes|first: true|Type: totp|: true|: false/);
});

test("Deactivate asks first, naming the member; Enforce 2FA acts at once and can be undone", async ({ page, loginPage }) => {
  test.setTimeout(120_000);
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  const admin = new AdminPage(page);
  const email = uniqueEmail("deact");
  const memberUrl = await admin.addUser({ name: "Dee Activate", email, requireMfa: false });

  const trigger = page.getByRole("button", { name: "Deactivate", exact: true });
  await trigger.click();
  const dialog = page.getByRole("dialog", { name: "Deactivate Dee Activate?" });
  await expect(dialog).toContainText("Dee Activate is signed out at once, everywhere, and cannot sign in until an admin reactivates them.");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.screenshot({ path: "e2e/screenshots/admin-deactivate-dialog.png" });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(trigger).toBeFocused();
  await page.reload();
  await expect(page.getByText("Deactivated", { exact: true })).toHaveCount(0); // nothing happened

  await trigger.click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await trigger.click();
  await dialog.getByRole("button", { name: "Deactivate Dee Activate" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("form-success")).toHaveText("The member was deactivated and signed out everywhere.");
  await expect(page.getByText("Deactivated", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Reactivate" }).click(); // giving back needs no dialog
  await expect(page.getByTestId("form-success")).toHaveText("The member was reactivated and can sign in again.");

  // Enforce 2FA in the table: at once, then a notice naming the member, with Undo.
  await admin.gotoMembers();
  const row = admin.row(email);
  const toggle = row.getByRole("switch", { name: "Enforce 2FA for Dee Activate" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const notice = row.getByTestId("enforce-notice");
  await expect(notice).toHaveAttribute("role", "status");
  await expect(notice).toContainText("Dee Activate must now set up 2FA at their next sign-in, with no grace period.");
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(notice).toContainText("Undone: Dee Activate no longer has to use 2FA");
  await page.goto(memberUrl.replace(/\?.*$/, ""));
  await expect(page.getByTestId("enforced-label")).toHaveText("Not enforced");
});
