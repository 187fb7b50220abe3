/**
 * For testers: compute authenticator-app codes from a setup key, as a phone would.
 *
 *   const app = new Authenticator(await page.getByTestId("totp-secret").innerText());
 *   await page.getByLabel("6-digit code").fill(await app.nextCode());
 *
 * The server accepts each time step once (replay protection) and one step of drift, so `nextCode()`
 * always returns a code for a step later than the last one it gave, waiting for the clock when needed
 * (at most ~30 s), exactly like a person waiting for their app to show a new code.
 */
import { expect } from "@playwright/test";
import { generate } from "otplib";

const PERIOD = 30;
const step = (ms = Date.now()) => Math.floor(ms / 1000 / PERIOD);

export function normaliseSetupKey(setupKey: string) {
  return setupKey.replace(/\s+/g, "").toUpperCase();
}

/** The code for a setup key at a given time (default: now). */
export function totpCode(setupKey: string, atMs = Date.now()) {
  return generate({ secret: normaliseSetupKey(setupKey), epoch: Math.floor(atMs / 1000), period: PERIOD, digits: 6, algorithm: "sha1" });
}

export class Authenticator {
  readonly secret: string;
  private lastStep = -Infinity;

  constructor(setupKey: string) {
    this.secret = normaliseSetupKey(setupKey);
  }

  /** A code the server has not seen from this helper yet (steps strictly increase). */
  async nextCode() {
    const target = Math.max(step(), this.lastStep + 1);
    // The server accepts up to one step ahead of its clock: wait until `target` is at most one step away.
    if (target > step() + 1) {
      await expect.poll(() => step(), { timeout: 65_000, intervals: [500] }).toBeGreaterThanOrEqual(target - 1);
    }
    this.lastStep = target;
    return totpCode(this.secret, target * PERIOD * 1000);
  }

  /** Marks the code currently shown as used (e.g. after enrolling with `totpCode` directly). */
  markCurrentUsed() {
    this.lastStep = Math.max(this.lastStep, step());
  }
}
