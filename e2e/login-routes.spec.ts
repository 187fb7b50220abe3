/**
 * The login steps are route handlers (app/api/login/*): JSON in and out, cookies on the response, and
 * the step that passes the last factor starts the session itself (issue #14). Over real HTTP against the
 * production server, from fresh loopback addresses (the per-address password budget of 127.0.0.1 is
 * shared by every browser test). S23: like server actions, they refuse what a cross-site page can send.
 */
import { expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { RawActions, freshLoopbackAddress, type RawResponse } from "./helpers/raw-actions";

let raw: RawActions;
test.beforeAll(async () => {
  raw = await RawActions.create();
});
test.afterAll(() => raw.close());

const setCookies = (r: RawResponse) => [r.headers["set-cookie"] ?? []].flat();
/** A Set-Cookie by name; `__Secure-` prefixed in production builds (the e2e server is one). */
const cookieNamed = (r: RawResponse, name: string) =>
  setCookies(r).find((c) => c.startsWith(`${name}=`) || c.startsWith(`__Secure-${name}=`));

test("cross-site and malformed requests to the login routes are refused before anything is counted or set (S23)", async () => {
  const from = freshLoopbackAddress();
  const foreign = await raw.post(
    from,
    "/api/login/password",
    { email: uniqueEmail("x"), password: "whatever" },
    { origin: "https://evil.example" },
  );
  expect(foreign.status).toBe(403);
  expect(JSON.parse(foreign.body)).toMatchObject({ ok: false, code: "forbidden" });
  expect(setCookies(foreign)).toEqual([]);

  // A forwarded-host header written by the client does not make a foreign Origin ours.
  const forwarded = await raw.post(
    from,
    "/api/login/password",
    { email: uniqueEmail("x"), password: "whatever" },
    { origin: "https://evil.example", "x-forwarded-host": "evil.example" },
  );
  expect(forwarded.status).toBe(403);

  // What an HTML form on another site can send: no JSON content type (and no Origin of ours).
  const form = await raw.post(from, "/api/login/password", "email=a%40b.test&password=x", {
    "content-type": "application/x-www-form-urlencoded",
  });
  expect(form.status).toBe(403);
  const noOrigin = await raw.post(from, "/api/login/password", { email: "a@b.test", password: "x" }, { origin: "" });
  expect(noOrigin.status).toBe(403);

  // Garbage and wrong shapes: a clear 400, never a 500.
  const garbage = await raw.post(from, "/api/login/password", "{not json");
  expect(garbage.status).toBe(400);
  expect(JSON.parse(garbage.body)).toMatchObject({ ok: false, code: "validation" });
  const noChallenge = await raw.post(from, "/api/login/verify", { method: "totp", code: "123456" });
  expect(noChallenge.status).toBe(401);
  expect(JSON.parse(noChallenge.body)).toMatchObject({ code: "challenge_expired" });
  expect(noChallenge.body).not.toMatch(/stack|at \w+ \(/i);
});

test("a member without 2FA gets the session in the password step's own response", async ({ page }) => {
  const { email, password } = await signUpFreshAdmin(page, "onerequest");
  const from = freshLoopbackAddress();
  const answer = await raw.post(from, "/api/login/password", { email, password });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ ok: true, data: { next: "done" } });
  const session = cookieNamed(answer, "next-auth.session-token");
  expect(session).toMatch(/HttpOnly/i);
  expect(cookieNamed(answer, "guardian_device")).toBeTruthy();
  const [cookieName, ...rest] = session!.split(";")[0]!.split("=");
  const value = rest.join("=");
  // The cookie is a session next-auth accepts, checked against the database, in a browser that never signed in.
  const context = await page.context().browser()!.newContext();
  const url = new URL(page.url());
  await context.addCookies([{ name: cookieName!, value, domain: url.hostname, path: "/", secure: cookieName!.startsWith("__Secure-") }]);
  const other = await context.newPage();
  await other.goto(new URL("/", page.url()).href);
  await expect(other.getByTestId("whoami")).toBeVisible();
  await context.close();
});

test("the 2FA step is one request: the code is checked and the session starts in its answer", async ({ page, loginPage, twoFactor }) => {
  const { email, password } = await signUpFreshAdmin(page, "onestep");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  await loginPage.logout();
  await loginPage.goto();
  await loginPage.submitPassword(email, password);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();

  const calls: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/api/")) calls.push(`${r.method()} ${path}`);
  });
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/login/verify");
  await twoFactor.submitTotp(await app.nextCode());
  const response = await answer;
  expect(response.status()).toBe(200);
  expect((await response.headerValue("set-cookie")) ?? "").toContain("next-auth.session-token=");
  await loginPage.expectSignedIn();
  // No csrf, callback or session round trips after the code: one request, then the page.
  expect(calls.filter((c) => c.startsWith("POST"))).toEqual(["POST /api/login/verify"]);
  expect(calls.filter((c) => c.includes("/api/auth/"))).toEqual([]);
});
