import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, signupLinkFor, submitSignup, test, uniqueEmail } from "./fixtures";

test("a visitor signs up by the emailed link, then signs in to the new organisation", async ({ page, loginPage }) => {
  const email = uniqueEmail("founder");
  await submitSignup(page, { org: "Initech Helpdesk", name: "Peter Gibbons", email, password: "tps reports forever" });
  await expect(page.getByTestId("signup-sent")).toContainText(`We sent a message to ${email}`);
  await page.screenshot({ path: "e2e/screenshots/signup-sent.png", fullPage: true });
  // Nothing exists until the link is opened.
  await loginPage.goto();
  await loginPage.submitPassword(email, "tps reports forever");
  await expect(loginPage.formError()).toHaveText("Incorrect email or password.");

  const link = await signupLinkFor(page, email);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Create Initech Helpdesk" })).toBeVisible();
  await expect(page.getByTestId("signup-email")).toHaveText(email);
  await page.screenshot({ path: "e2e/screenshots/signup-confirm.png", fullPage: true });
  // The password chosen on the form is asked for again: a wrong one creates nothing.
  const confirm = page.getByRole("form", { name: "Confirm sign-up" });
  await confirm.getByLabel("Password").fill("not what I chose");
  await confirm.getByRole("button", { name: "Confirm and create organisation" }).click();
  await expect(confirm.getByText("That is not the password chosen when signing up.", { exact: false })).toBeVisible();
  await confirm.getByLabel("Password").fill("tps reports forever");
  await confirm.getByRole("button", { name: "Confirm and create organisation" }).click();
  await expect(page.getByRole("heading", { name: "Your organisation is ready — sign in" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/signup-ready.png", fullPage: true });
  await page.getByRole("link", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await loginPage.submitPassword(email, "tps reports forever");
  await expect(page.getByTestId("home-name")).toHaveText("Peter Gibbons");
  await expect(page.getByTestId("home-org")).toHaveText("Initech Helpdesk");
  await expect(page.getByTestId("home-role")).toHaveText("Admin");

  // The link worked once.
  await page.goto(link);
  await expect(page.getByTestId("signup-link-invalid")).toBeVisible();
});

test("sign-up answers bad input with field errors and keeps what was typed, except the password", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Organisation name").fill("Org");
  await page.getByLabel("Your name").fill("Someone");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Organisation name")).toHaveValue("Org");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.screenshot({ path: "e2e/screenshots/signup-errors.png", fullPage: true });
});

test("a wrong password and an unknown email show the same generic message", async ({ loginPage }) => {
  await loginPage.goto();
  await loginPage.submitPassword(DEMO.agents[4]!, "definitely wrong");
  await expect(loginPage.formError()).toHaveText("Incorrect email or password.");
  await loginPage.submitPassword("nobody@acme.test", "definitely wrong");
  await expect(loginPage.formError()).toHaveText("Incorrect email or password.");
  await loginPage.page.screenshot({ path: "e2e/screenshots/login-error.png", fullPage: true });
});

test("the demo admin logs in and sees name, organisation and role", async ({ page, loginPage }) => {
  await loginPage.login(DEMO.admin, DEMO_PASSWORD);
  await expect(page.getByTestId("home-name")).toHaveText("Ada Admin");
  await expect(page.getByTestId("home-org")).toHaveText("Acme Support");
  await expect(page.getByTestId("home-role")).toHaveText("Admin");
  await page.screenshot({ path: "e2e/screenshots/home.png", fullPage: true });
});

test("a signed-out visit to a protected page lands on the login page, then returns there", async ({ page, loginPage }) => {
  await page.goto("/security/sessions");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsecurity%2Fsessions/);
  await loginPage.submitPassword(DEMO.agents[3]!, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/security\/sessions$/);
});

test("a user changes their name and password on the profile page", async ({ page, loginPage, profilePage }) => {
  const { email } = await signUpFreshAdmin(page, { prefix: "profile", org: "Profile Org", name: "Old Name", password: "first passphrase" });

  await profilePage.goto();
  await profilePage.changeName("New Name");
  await expect(page.getByTestId("whoami")).toHaveText("New Name · Profile Org");

  await profilePage.changePassword("wrong current", "second passphrase");
  await expect(page.getByText("Incorrect password.")).toBeVisible();
  await profilePage.changePassword("first passphrase", "second passphrase", "different");
  await expect(page.getByText("The passwords do not match.")).toBeVisible();
  await profilePage.changePassword("first passphrase", "second passphrase");
  await expect(page.getByText("Your password was changed.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/profile.png", fullPage: true });

  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, "first passphrase");
  await expect(loginPage.formError()).toHaveText("Incorrect email or password.");
  await loginPage.login(email, "second passphrase");
});

test("the favicon and logo are served to everyone, signed in or not", async ({ request, page }) => {
  for (const path of ["/favicon.svg", "/logo.svg"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"]).toContain("image/svg+xml");
  }
  await page.goto("/login");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /\/favicon\.svg/);
});
