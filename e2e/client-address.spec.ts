/**
 * S35, over real HTTP against the production server (server.ts, no proxy declared): the client address
 * is the connection's peer. X-Forwarded-For, X-Real-IP and a client-sent copy of the internal address
 * header change nothing: not the per-address password limit (S9), not the audit log (S26).
 *
 * Every 127.x.y.z is this machine, so each test connects from its own loopback address (Node's
 * `localAddress`): burning the per-address budget of 50 from 127.0.0.1, the address every other e2e
 * test shares, would lock them all out.
 */
import { expect, signUpFreshAdmin, test, uniqueEmail } from "./fixtures";
import { CLIENT_ADDRESS_HEADER } from "../lib/client-address";
import { RawActions } from "./helpers/raw-actions";

let raw: RawActions;
test.beforeAll(async () => {
  raw = await RawActions.create();
});
test.afterAll(() => raw.close());

const submitPassword = (from: string, email: string, password: string, headers: Record<string, string> = {}) =>
  raw.login(from, email, password, headers);
const outcome = RawActions.outcome;

test("rotating X-Forwarded-For (and forging the internal header) from one peer still hits the per-address limit at 50", async () => {
  const from = "127.0.0.23";
  for (let i = 1; i <= 50; i++) {
    // A new unknown email each time, so only the per-address limit can refuse.
    const body = await submitPassword(from, uniqueEmail(`rotate${i}`), "not the password", {
      "x-forwarded-for": `198.51.100.${i}`,
      "x-real-ip": `198.51.101.${i}`,
      [CLIENT_ADDRESS_HEADER]: `203.0.113.${i}`,
    });
    expect(outcome(body), `attempt ${i}`).toBe("wrong");
  }
  const body = await submitPassword(from, uniqueEmail("rotate51"), "not the password", {
    "x-forwarded-for": "198.51.100.51",
    [CLIENT_ADDRESS_HEADER]: "203.0.113.51",
  });
  expect(outcome(body)).toBe("refused");
  // The lock is on the peer, whatever the next request claims.
  expect(outcome(await submitPassword(from, uniqueEmail("rotate52"), "not the password"))).toBe("refused");
});

test("50 failures forged to come from another address lock out only the sender, not that address", async () => {
  const attacker = "127.0.0.25";
  const victim = "127.0.0.24";
  for (let i = 1; i <= 50; i++) {
    // "::ffff:127.0.0.24" is how the victim's own connection appears to a dual-stack server.
    const body = await submitPassword(attacker, uniqueEmail(`forge${i}`), "not the password", {
      "x-forwarded-for": `::ffff:${victim}`,
      [CLIENT_ADDRESS_HEADER]: victim,
    });
    expect(outcome(body), `attempt ${i}`).toBe("wrong");
  }
  expect(
    outcome(await submitPassword(attacker, uniqueEmail("forge51"), "not the password", { "x-forwarded-for": `::ffff:${victim}` })),
  ).toBe("refused");
  // The victim is answered normally: its own budget is untouched.
  expect(outcome(await submitPassword(victim, uniqueEmail("victim"), "not the password"))).toBe("wrong");
});

test("the login history and the admin audit log show the connection's address, not the forged ones", async ({ page }) => {
  const { email } = await signUpFreshAdmin(page, "addr");
  const body = await submitPassword("127.0.0.26", email, "not the password", {
    "x-forwarded-for": "198.51.100.77",
    "x-real-ip": "198.51.100.78",
    [CLIENT_ADDRESS_HEADER]: "203.0.113.77",
  });
  expect(outcome(body)).toBe("wrong");

  await page.goto("/security/login-history");
  const history = page.getByTestId("login-history-row");
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toContainText("Failed");
  await expect(history.nth(0).locator("td").last()).toHaveText("127.0.0.26");
  // The browser's own sign-in at sign-up: its peer on loopback.
  await expect(history.nth(1).locator("td").last()).toHaveText(/^(127\.0\.0\.1|::1)$/);

  await page.goto("/admin/audit?event=login.failure");
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText("Sign-in failed");
  await expect(rows.nth(0)).toContainText("127.0.0.26");
  for (const forged of ["198.51.100.77", "198.51.100.78", "203.0.113.77"]) await expect(page.getByText(forged)).toHaveCount(0);
});
