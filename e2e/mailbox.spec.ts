import { expect, test, uniqueEmail } from "./fixtures";
import { latestCode, latestMail, mailCursor } from "./helpers/mailbox";

test("an unknown address has an empty mailbox: the page says so and the JSON answers []", async ({ page, request }) => {
  const nobody = uniqueEmail("nobody");
  const res = await request.get(`/api/dev/mail?to=${encodeURIComponent(nobody)}`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual([]);
  expect((await request.get("/api/dev/mail?limit=0")).status()).toBe(400);

  await page.goto(`/dev/mailbox?to=${encodeURIComponent(nobody)}`);
  await expect(page.getByRole("heading", { name: "Dev mailbox" })).toBeVisible();
  await expect(page.getByTestId("mailbox-empty")).toHaveText(`No messages for ${nobody}.`);

  await page.goto("/dev/mailbox/999999999999");
  await expect(page.getByText("Page not found")).toBeVisible();
});

test("a sent message is listed newest first, opens with both parts, and its code is readable by the helpers", async ({ page, request }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const to = uniqueEmail("mailbox");
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  await expect(page.getByTestId("mailbox-empty")).toBeVisible();

  const form = page.getByRole("form", { name: "Send a sample" });
  await form.getByLabel("Recipient").fill(to);
  await form.getByLabel("Template").selectOption({ label: "Security notice" });
  await form.getByRole("button", { name: "Send sample" }).click();
  await expect(form.getByTestId("form-success")).toHaveText(`Sample sent to ${to}.`);
  const notice = await latestMail(request, to);
  expect(notice.subject).toContain("security notice");

  const cursor = await mailCursor(request, to);
  await form.getByLabel("Template").selectOption({ label: "Sign-in code" });
  await form.getByRole("button", { name: "Send sample" }).click();
  const code = await latestCode(request, to, { after: cursor });
  expect(code).toMatch(/^\d{6}$/);
  const mail = await latestMail(request, to, { after: cursor });
  expect(mail).toMatchObject({ to, from: expect.stringContaining("@") });
  expect(mail.id).toBeGreaterThan(notice.id);
  expect(mail.html).toContain(code);

  // The list (revalidated after the action) shows both, newest first.
  const rows = page.getByTestId("mailbox-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("sign-in code");
  await expect(rows.nth(1)).toContainText("security notice");
  await expect(rows.nth(0)).toContainText(to);
  await page.screenshot({ path: "e2e/screenshots/dev-mailbox.png", fullPage: true });

  await rows.nth(0).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/dev/mailbox/${mail.id}$`));
  await expect(page.getByTestId("mail-subject")).toHaveText(mail.subject);
  await expect(page.getByTestId("mail-to")).toHaveText(to);
  await expect(page.getByTestId("mail-text")).toContainText(code);
  await expect(page.getByTestId("mail-html")).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
  const html = page.frameLocator('[data-testid="mail-html"]');
  await expect(html.getByText(code, { exact: true })).toBeVisible();
  await expect(html.getByRole("heading", { name: "Your sign-in code" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/dev-mailbox-message.png", fullPage: true });

  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "e2e/screenshots/dev-mailbox-message-dark.png", fullPage: true });
  await page.getByRole("link", { name: "← All messages" }).click();
  await expect(page.getByRole("heading", { name: "Dev mailbox" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/dev-mailbox-dark.png", fullPage: true });
  expect(pageErrors).toEqual([]);
});

test("the sample form answers a bad address with a field error", async ({ page }) => {
  await page.goto("/dev/mailbox");
  const form = page.getByRole("form", { name: "Send a sample" });
  await form.getByLabel("Recipient").fill("not-an-address");
  await form.getByRole("button", { name: "Send sample" }).click();
  await expect(form.getByText("Enter a valid email address.")).toBeVisible();
  await expect(form.getByLabel("Recipient")).toHaveValue("not-an-address");
});
