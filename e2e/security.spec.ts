/**
 * Security around 2FA, end to end: response headers (CSP with a per-request nonce and friends),
 * proxy bypass attempts (S5), cross-site server actions (S23), the login-challenge cookie alone (S1),
 * sessions in the profile (S6), login history and the admin audit log (S26).
 */
import type { APIResponse, Browser, ConsoleMessage, Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expect, signUpFreshAdmin, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

const SHOTS = "e2e/screenshots";

function expectSecurityHeaders(response: APIResponse, { noStore = true } = {}) {
  const h = response.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp, `CSP on ${response.url()}`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // The dev server is not production: no HSTS here (the unit test covers production).
  expect(h["strict-transport-security"]).toBeUndefined();
  if (noStore) expect(h["cache-control"], `Cache-Control on ${response.url()}`).toContain("no-store");
  return csp;
}

/** Route handlers (/api, which proxy.ts skips): JSON that nothing may run, frame or cache (next.config.ts). */
function expectApiHeaders(response: APIResponse) {
  const h = response.headers();
  expect(h["content-security-policy"], `CSP on ${response.url()}`).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["strict-transport-security"]).toBeUndefined();
  expect(h["cache-control"], `Cache-Control on ${response.url()}`).toContain("no-store");
}

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

/** Collects every CSP violation the browser reports (Chromium logs them to the console) and page errors. */
function watchViolations(page: Page) {
  const problems: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate)/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** A new organisation and its signed-in admin (sign-up by the emailed link). */
async function signUp(page: Page, { name = "Sam Secure", org = "Secure Org" } = {}) {
  return signUpFreshAdmin(page, { prefix: "sec", name, org });
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test.describe("security headers", () => {
  test("every page, redirect and route handler carries them, pages with a fresh nonce each time; static assets too", async ({
    request,
  }) => {
    const login = await request.get("/login");
    expect(login.status()).toBe(200);
    const csp = expectSecurityHeaders(login);
    const nonce = nonceOf(csp)!;
    // Next put the header's nonce on its scripts, and no script goes without it.
    const html = await login.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const again = expectSecurityHeaders(await request.get("/login"));
    expect(nonceOf(again)).not.toBe(nonce);

    for (const path of ["/login/verify", "/signup", "/invite/not-a-real-token", "/forgot-password", "/reset-password/not-a-real-token"]) {
      expectSecurityHeaders(await request.get(path, { maxRedirects: 0 }));
    }
    for (const path of ["/api/auth/session", "/api/auth/csrf", "/api/health", "/api/login/password"]) {
      expectApiHeaders(await request.get(path, { maxRedirects: 0 }));
    }
    expectApiHeaders(await request.post("/api/login/verify", { data: {}, headers: { origin: "https://evil.example" } }));
    // Signed-out visit of a protected page: the proxy's redirect carries them too.
    const redirect = await request.get("/profile", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expectSecurityHeaders(redirect);

    const asset = /\/_next\/static\/[^"]+\.(?:css|js)/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const staticResponse = await request.get(asset!);
    expect(staticResponse.status()).toBe(200);
    expect(staticResponse.headers()["x-content-type-options"]).toBe("nosniff");
    expect(staticResponse.headers()["x-frame-options"]).toBe("DENY");
  });

  test("signed-in pages are not stored either", async ({ page, loginPage }) => {
    await loginPage.login(DEMO.agents[0]!, DEMO_PASSWORD);
    for (const path of ["/", "/security/account"]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status()).toBe(200);
      expect(await response.text()).toContain("Sign out");
      expectSecurityHeaders(response);
    }
  });

  test("the nonce CSP breaks nothing: the demo admin signs in and browses without a single violation", async ({ page, loginPage }) => {
    const problems = watchViolations(page);
    await loginPage.login(DEMO.admin, DEMO_PASSWORD);
    await expect(page.getByTestId("home-name")).toHaveText("Ada Admin");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await loginPage.logout();
    expect(problems).toEqual([]);
  });

  test("a sandboxed srcdoc iframe (dev mailbox HTML mail) renders under the CSP; nobody can frame the app", async ({
    page,
    loginPage,
    baseURL,
  }) => {
    const problems = watchViolations(page);
    await loginPage.goto();
    await page.evaluate(() => {
      const frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "");
      frame.setAttribute("title", "mail preview");
      frame.srcdoc =
        '<p id="m" style="color: rgb(200, 0, 0)">Your code is 123456</p>' +
        '<img id="i" alt="logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">';
      document.body.append(frame);
    });
    const mail = page.frameLocator('iframe[title="mail preview"]');
    await expect(mail.locator("#m")).toHaveText("Your code is 123456");
    await expect(mail.locator("#m")).toHaveCSS("color", "rgb(200, 0, 0)");
    expect(problems).toEqual([]);

    // Clickjacking: a page on another origin that frames the login page gets nothing from it. The
    // framing page is one of our static files opened as http://127.0.0.1 (another origin, no CSP of
    // its own, and on loopback so Chromium's private-network rules do not block the frame first).
    const asset = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="stylesheet"]')?.getAttribute("href"));
    const framer = await page.context().newPage();
    const otherOrigin = new URL(asset!, baseURL!.replace("localhost", "127.0.0.1")).href;
    await framer.goto(otherOrigin);
    const refused = framer.waitForEvent("console", (m) => /frame-ancestors 'none'/.test(m.text()));
    await framer.evaluate((src) => {
      const frame = document.createElement("iframe");
      frame.title = "victim";
      frame.src = src;
      document.body.append(frame);
    }, `${baseURL}/login`);
    await refused;
    await expect(framer.frameLocator('iframe[title="victim"]').getByRole("heading", { name: "Sign in" })).toHaveCount(0);
  });
});

test.describe("authorisation never relies on the proxy (S5, S1)", () => {
  const BYPASS_VALUES = [
    "proxy:proxy:proxy:proxy:proxy",
    "middleware:middleware:middleware:middleware:middleware",
    "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  ];

  test("x-middleware-subrequest, with or without a forged session cookie, gets no protected content", async ({ request }) => {
    for (const value of BYPASS_VALUES) {
      for (const path of ["/", "/profile", "/admin/audit"]) {
        for (const cookie of [undefined, "next-auth.session-token=forged.jwt.value"]) {
          const response = await request.get(path, {
            headers: { "x-middleware-subrequest": value, ...(cookie ? { cookie } : {}) },
            maxRedirects: 0,
          });
          const body = await response.text();
          expect(response.status(), `${path} ${value} ${cookie ?? ""}`).toBe(307);
          expect(response.headers().location).toMatch(/^\/login|^http:\/\/localhost:\d+\/login/);
          // (The page's static <title> may be there; nothing rendered for a user is.)
          for (const marker of ["Sign out", "whoami", "home-name", "Change password", "Apply filters", "audit-summary"]) {
            expect(body, `${path} ${value} ${cookie ?? ""}`).not.toContain(marker);
          }
        }
      }
    }
  });

  test("the login_challenge cookie captured after the password step reaches no protected page on its own", async ({
    page,
    loginPage,
    twoFactor,
    browser,
  }) => {
    // A member with an authenticator app, stopped right after the password step: the session is never created.
    const { email, password } = await signUpFreshAdmin(page, "captured");
    await twoFactor.enrolTotp("Phone");
    await twoFactor.finishEnrolment();
    await loginPage.logout();
    await loginPage.goto();
    await loginPage.submitPassword(email, password);
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
    const challenge = (await page.context().cookies()).find((c) => c.name === "login_challenge");
    expect(challenge?.value).toBeTruthy();
    expect(challenge?.httpOnly).toBe(true);

    // Replayed from another browser: alone, and dressed up as a session cookie to get past the proxy.
    const { context, page: attacker } = await newPage(browser);
    const url = new URL(page.url());
    await context.addCookies([
      { name: "login_challenge", value: challenge!.value, domain: url.hostname, path: "/" },
      { name: "next-auth.session-token", value: challenge!.value, domain: url.hostname, path: "/" },
    ]);
    await attacker.goto("/profile");
    await expect(attacker).toHaveURL(/\/login/);
    await expect(attacker.getByRole("heading", { name: "Sign in" })).toBeVisible();
    const direct = await attacker.request.get("/profile", { maxRedirects: 0 });
    expect(direct.status()).toBe(307);
    expect(await direct.text()).not.toContain("Change password");
    const session = await (await attacker.request.get("/api/auth/session")).json();
    expect(session?.claims).toBeUndefined();
    await context.close();
  });
});

test("a server action replayed with a foreign Origin, or without a session, is refused and changes nothing (S23, S5)", async ({
  page,
  request,
}) => {
  await signUp(page, { name: "Real Name", org: "Origin Org" });
  await page.goto("/security/account");

  // Capture a real submission of the name form (its Next-Action id and body, naming "Evil Name"),
  // and let the browser send "Checked Name" instead.
  let captured: { headers: Record<string, string>; body: Buffer } | undefined;
  await page.route("**/security/account", async (route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.continue();
    captured = { headers: await request.allHeaders(), body: request.postDataBuffer()! };
    expect(captured.body.toString()).toContain("Evil Name");
    await route.continue({ postData: Buffer.from(captured.body.toString().replace("Evil Name", "Checked Name")) });
  });
  const form = page.getByRole("form", { name: "Your name" });
  await form.getByLabel("Name").fill("Evil Name");
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(form.getByText("Your name was saved.")).toBeVisible();
  await expect(page.getByTestId("whoami")).toHaveText("Checked Name · Origin Org");
  expect(captured?.headers["next-action"]).toMatch(/^[0-9a-f]{20,}$/);

  const replay = (origin: string) => {
    const headers = Object.fromEntries(
      Object.entries(captured!.headers).filter(
        ([k]) => !["host", "content-length", "cookie", "origin", "referer"].includes(k) && !k.startsWith(":"),
      ),
    );
    return page.request.post("/security/account", {
      headers: { ...headers, origin, referer: `${origin}/` },
      data: captured!.body,
      maxRedirects: 0,
    });
  };

  const foreign = await replay("https://evil.example");
  expect(foreign.status()).toBeGreaterThanOrEqual(400);
  expect(await foreign.text()).not.toContain("Your name was saved.");
  await page.reload();
  await expect(page.getByTestId("whoami")).toHaveText("Checked Name · Origin Org");

  // Same origin, no real session (a forged session cookie gets it past the proxy): the action
  // authorises itself and refuses.
  const url = new URL(page.url());
  const headers = Object.fromEntries(
    Object.entries(captured!.headers).filter(([k]) => !["host", "content-length", "cookie"].includes(k) && !k.startsWith(":")),
  );
  const anonymous = await request.post("/security/account", {
    headers: { ...headers, origin: url.origin, cookie: "next-auth.session-token=forged" },
    data: captured!.body,
    maxRedirects: 0,
  });
  expect(await anonymous.text()).toContain("Your session has ended. Please sign in again.");
  await page.reload();
  await expect(page.getByTestId("whoami")).toHaveText("Checked Name · Origin Org");

  // Control: the very same request from our own origin goes through, so the Origin alone made the difference.
  const same = await replay(url.origin);
  expect(same.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("whoami")).toHaveText("Evil Name · Origin Org");
});

test("sign out of all other sessions: the other browser is bounced to the login page on its next request", async ({ page, browser }) => {
  const { email, password } = await signUp(page, { name: "Two Browsers", org: "Session Org" });

  const { context, page: other } = await newPage(browser);
  const otherLogin = new LoginPage(other);
  await otherLogin.goto();
  await otherLogin.submitPassword(email, "not my password");
  await expect(otherLogin.formError()).toHaveText("Incorrect email or password.");
  await otherLogin.login(email, password);
  await other.goto("/security/account");
  await expect(other.getByRole("heading", { name: "Account", exact: true })).toBeVisible();

  await page.goto("/security/login-history");
  // Login history, newest first: the other browser's sign-in, its failure, the sign-in at sign-up.
  const history = page.getByTestId("login-history-row");
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toContainText("Signed in");
  await expect(history.nth(0)).toContainText("Password");
  await expect(history.nth(1)).toContainText("Failed");
  await expect(history.nth(1)).toContainText(/Chrome.* on /);
  await expect(history.nth(2)).toContainText("Signed in");
  await page.screenshot({ path: `${SHOTS}/security-login-history.png`, fullPage: true });

  await page.goto("/security/sessions");
  const sessions = page.getByTestId("session-item");
  await expect(sessions).toHaveCount(2);
  await expect(page.getByTestId("this-browser")).toHaveCount(1);
  await expect(sessions.first()).toContainText("This browser");
  await expect(sessions.first()).toContainText(/Chrome/);
  await page.screenshot({ path: `${SHOTS}/security-sessions.png`, fullPage: true });

  await page.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(page.getByText("Signed out of 1 other session.")).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Sign out of all other sessions" })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/security-sessions-after.png`, fullPage: true });

  // The other browser still holds its cookie; the server refuses it on the next navigation.
  await other.getByRole("link", { name: "Home" }).click();
  await expect(other).toHaveURL(/\/login/);
  await expect(other.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // …and this browser is still signed in.
  await page.reload();
  await expect(page.getByTestId("whoami")).toHaveText("Two Browsers · Session Org");
  await context.close();
});

test.describe("audit log page", () => {
  test("an admin sees their organisation's events, filters them, and agents are kept out", async ({ page, loginPage, browser }) => {
    const problems = watchViolations(page);
    page.on("console", (m) => {
      if (m.type() === "error" && !/favicon|Failed to load resource: the server responded with a status of 404/.test(m.text()))
        problems.push(m.text());
    });
    const admin = await signUp(page, { name: "Audrey Admin", org: "Audit Org" });
    // Something to find: a failed sign-in and a sign-in from another browser.
    const { context, page: other } = await newPage(browser);
    const otherLogin = new LoginPage(other);
    await otherLogin.goto();
    await otherLogin.submitPassword(admin.email, "wrong password here");
    await expect(otherLogin.formError()).toBeVisible();
    await otherLogin.login(admin.email, admin.password);
    await context.close();

    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(0)).toContainText("Signed in");
    await expect(rows.nth(0)).toContainText("Method: Password");
    await expect(rows.nth(1)).toContainText("Sign-in failed");
    await expect(rows.nth(1)).toContainText("Reason: wrong password");
    await expect(rows.nth(2)).toContainText("Signed in");
    await expect(rows.nth(3)).toContainText("Organisation created");
    await expect(rows.nth(0)).toContainText(admin.email);
    await expect(rows.nth(0)).toContainText(/Chrome \d+ on \w+/);
    await expect(page.getByTestId("audit-summary")).toHaveText("Showing 1–4 of 4 events");
    // Demo organisation's events never show here.
    await expect(page.getByText("admin@acme.test")).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/admin-audit.png`, fullPage: true });

    await page.getByLabel("Event").selectOption({ label: "Sign-in failed" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/event=login.failure/);
    await expect(rows).toHaveCount(1);
    await expect(page.getByLabel("Event")).toHaveValue("login.failure");
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel("From (UTC)").fill("2020-01-01");
    await page.getByLabel("To (UTC, included)").fill("2020-01-31");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByTestId("audit-summary")).toHaveText("No events match.");
    await page.getByLabel("To (UTC, included)").fill(today);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(rows).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/admin-audit-filtered.png`, fullPage: true });
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(rows).toHaveCount(4);
    await expect(page.getByLabel("Event")).toHaveValue("");
    await expect(page.getByLabel("From (UTC)")).toHaveValue("");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${SHOTS}/admin-audit-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    expect(problems).toEqual([]);

    await loginPage.logout();
    await loginPage.login(DEMO.agents[1]!, DEMO_PASSWORD);
    await page.goto("/admin/audit");
    await expect(page).not.toHaveURL(/\/admin\/audit/);
    await expect(page.getByRole("heading", { name: "Audit log" })).toHaveCount(0);
  });
});
