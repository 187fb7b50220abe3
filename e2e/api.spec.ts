/**
 * The JSON API (/api/v1, issue #16) over real HTTP against the production server, from fresh loopback
 * addresses: an app signs in with an authenticator code, reads /me with its bearer token, is listed in
 * Security › Sessions by name with "Sign out", and signing it out there ends its tokens. No cookies, no
 * CORS, problem+json errors without a stack.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, signUpFreshAdmin, test } from "./fixtures";
import { RawActions, freshLoopbackAddress, type RawResponse } from "./helpers/raw-actions";

const run = promisify(execFile);
let raw: RawActions;
test.beforeAll(async () => {
  raw = await RawActions.create();
});
test.afterAll(() => raw.close());

const json = (r: RawResponse) => JSON.parse(r.body) as Record<string, unknown>;
const noBrowserState = (r: RawResponse) => {
  expect(r.headers["set-cookie"]).toBeUndefined();
  expect(r.headers["access-control-allow-origin"]).toBeUndefined();
};
const client = { name: "Guardian for Chrome", kind: "extension" };

test("an extension signs in with an authenticator code; Security › Sessions lists it by name, and Sign out ends its tokens", async ({
  page,
  twoFactor,
}) => {
  const { email, password } = await signUpFreshAdmin(page, "apiext");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();

  const from = freshLoopbackAddress();
  const login = await raw.post(from, "/api/v1/auth/login", { email, password, client }, { origin: "chrome-extension://abcdef" });
  expect(login.status).toBe(200);
  noBrowserState(login);
  const started = json(login);
  expect(started).toMatchObject({ next: "mfa", methods: expect.arrayContaining(["totp", "recovery"]) });

  const verified = await raw.post(from, "/api/v1/auth/mfa", { challenge: started.challenge, method: "totp", code: await app.nextCode() });
  expect(verified.status).toBe(200);
  noBrowserState(verified);
  const tokens = json(verified) as { accessToken: string; refreshToken: string };
  expect(tokens).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });

  const bearer = { authorization: `Bearer ${tokens.accessToken}` };
  const me = await raw.request(from, "GET", "/api/v1/me", bearer);
  expect(me.status).toBe(200);
  expect(json(me)).toMatchObject({ user: { email, role: "admin" }, twoFactor: { enabled: true }, session: { client } });
  // A page on another site cannot read it: the preflight is never granted.
  const preflight = await raw.request(from, "OPTIONS", "/api/v1/me", {
    origin: "https://evil.example",
    "access-control-request-method": "GET",
    "access-control-request-headers": "authorization",
  });
  expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();

  await page.goto("/security/sessions");
  const item = page.getByTestId("session-item").filter({ hasText: "Guardian for Chrome · browser extension" });
  await expect(item).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/api-sessions.png", fullPage: true });
  await item.getByRole("button", { name: "Sign out" }).click();
  await expect(item).toHaveCount(0); // the row goes (and its form with it); the browser's own session stays
  await expect(page.getByTestId("this-browser")).toBeVisible();

  const after = await raw.request(from, "GET", "/api/v1/me", bearer);
  expect(after.status).toBe(401);
  expect(after.headers["content-type"]).toBe("application/problem+json");
  expect(json(after)).toMatchObject({ code: "invalid_token" });
  const refreshed = await raw.post(from, "/api/v1/auth/refresh", { refreshToken: tokens.refreshToken });
  expect(json(refreshed)).toMatchObject({ code: "invalid_token" });
});

test("errors are problem+json with stable codes and no stack; the OpenAPI document is served", async () => {
  const from = freshLoopbackAddress();
  const wrong = await raw.post(from, "/api/v1/auth/login", { email: "nobody@example.test", password: "x", client });
  expect(wrong.status).toBe(401);
  expect(wrong.headers["content-type"]).toBe("application/problem+json");
  expect(json(wrong)).toMatchObject({ type: "urn:guardian:problem:invalid_credentials", code: "invalid_credentials", status: 401 });
  noBrowserState(wrong);
  const garbage = await raw.post(from, "/api/v1/auth/mfa", "{not json");
  expect(garbage.status).toBe(400);
  expect(garbage.body).not.toMatch(/stack|at \w+ \(/i);
  const unknown = await raw.request(from, "GET", "/api/v1/nope");
  expect(unknown.status).toBe(404);
  expect(json(unknown)).toMatchObject({ code: "not_found" });
  const doc = await raw.request(from, "GET", "/api/v1/openapi.json");
  expect(json(doc)).toMatchObject({ openapi: "3.1.0", paths: { "/api/v1/auth/login": { post: {} }, "/api/v1/me": { get: {} } } });
});

test("npm run api-login signs in with the password and an authenticator code from the environment and prints /me", async ({
  page,
  twoFactor,
  baseURL,
}) => {
  const { email, password } = await signUpFreshAdmin(page, "apicli");
  const { app } = await twoFactor.enrolTotp("Phone");
  await twoFactor.finishEnrolment();
  const env = { ...process.env, API_BASE_URL: baseURL, API_PASSWORD: password, API_CODE: await app.nextCode() };
  const { stdout } = await run("npx", ["tsx", "scripts/api-login.ts", email], { env });
  expect(JSON.parse(stdout)).toMatchObject({ user: { email }, twoFactor: { enabled: true }, session: { client: { kind: "cli" } } });
  expect(stdout).not.toMatch(/gat_|grt_/); // tokens are never printed
  // Signed out at the end: no session of the CLI is left.
  await page.goto("/security/sessions");
  await expect(page.getByTestId("session-item")).toHaveCount(1);
});
