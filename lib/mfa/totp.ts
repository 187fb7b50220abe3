/**
 * TOTP (RFC 6238) through otplib: SHA1, 6 digits, 30-second steps — what every authenticator app
 * honours — with one step of clock drift accepted either side. Secrets are 160 random bits, Base32.
 */
import { generate, generateSecret, verify } from "otplib";
import { PRODUCT_NAME } from "@/lib/config";

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;

/** 20 bytes (160 bits) from otplib's CSPRNG, Base32 without padding. */
export function newTotpSecret() {
  return generateSecret({ length: 20 });
}

/** "ABCD EFGH …": the setup key as people type it. */
export function formatSecret(secret: string) {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

export function issuerFor(orgName: string) {
  return `${PRODUCT_NAME} (${orgName})`;
}

/**
 * Key URI format: otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30.
 * Colons are not allowed inside either part (they separate them), so they are dropped; both parts are
 * URI-encoded and the issuer parameter equals the label prefix.
 */
export function otpauthUri({ issuer, account, secret }: { issuer: string; account: string; secret: string }) {
  const clean = (s: string) => s.replace(/:/g, "").trim();
  const i = clean(issuer);
  const label = `${encodeURIComponent(i)}:${encodeURIComponent(clean(account))}`;
  // encodeURIComponent throughout: spaces become %20 (some apps show a "+" literally).
  const query = `secret=${secret}&issuer=${encodeURIComponent(i)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD}`;
  return `otpauth://totp/${label}?${query}`;
}

/** Only the digits of what was typed or pasted ("123 456", "123-456" are fine). */
export function normaliseCode(input: string) {
  return input.replace(/[\s-]/g, "");
}

/**
 * Checks a code against the secret at `epochSeconds`, one step either side, refusing steps at or before
 * `afterTimeStep` (the last accepted one). Returns the matched time step: the caller must record it
 * atomically (see verifyLoginTotp) so that the same code cannot be used twice.
 */
export async function checkTotp(
  secret: string,
  code: string,
  options: { afterTimeStep?: number | null; epochSeconds?: number } = {},
): Promise<{ valid: true; timeStep: number } | { valid: false }> {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return { valid: false };
  const result = await verify({
    secret,
    token,
    epochTolerance: TOTP_PERIOD,
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
    algorithm: "sha1",
    ...(options.epochSeconds !== undefined ? { epoch: options.epochSeconds } : {}),
    ...(options.afterTimeStep != null ? { afterTimeStep: options.afterTimeStep } : {}),
  });
  // The TOTP strategy's result carries the matched time step (the union type also covers HOTP).
  return result.valid ? { valid: true, timeStep: (result as unknown as { timeStep: number }).timeStep } : { valid: false };
}

/** The current code for a secret (tests and the testers' helper use this). */
export function currentTotp(secret: string, epochSeconds?: number) {
  return generate({
    secret,
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
    algorithm: "sha1",
    ...(epochSeconds !== undefined ? { epoch: epochSeconds } : {}),
  });
}
