/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"). A browser that has
 * completed a full login (every factor) for a user carries a signed entry `<userId>.<nonce>.<mac>`:
 * the nonce is random (128 bits), the MAC is HMAC-SHA256 under a key derived from the app's secrets.
 * At the password step, a valid entry for the user being signed in to makes the browser "known": its
 * failed passwords count on its own key (pw-device:<userId>:<nonce>) instead of the account-wide key
 * that anyone who knows the email can fill up. An entry for another user, a forged or altered entry,
 * or none at all: the browser is unknown. Nothing is stored server-side; rotating NEXTAUTH_SECRET or
 * ENCRYPTION_KEY turns every browser back into an unknown one (harmless). The MAC also covers the user's
 * session version (`epoch`), so ending every session of a user (password reset, admin reset,
 * deactivation: revokeAccess without a session to keep) turns their browsers back into unknown ones too:
 * a browser an attacker once signed in with does not keep a budget of its own after the user recovers.
 *
 * One cookie holds up to MAX_ENTRIES users (a shared support-desk computer), newest first.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getSecrets } from "@/lib/config";
import { randomToken } from "@/lib/crypto";

export const DEVICE_COOKIE = "guardian_device";
/** Long-lived: the point is to recognise the browser weeks later. Re-issued at every full login. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
export const MAX_ENTRIES = 8;
const MAX_COOKIE_LENGTH = 2048;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

export type DeviceEntry = { userId: string; nonce: string };

let cachedKey: { source: string; key: Buffer } | undefined;

/** HKDF-SHA256 over both app secrets, for this purpose only (the secrets themselves sign other things). */
function macKey(): Buffer {
  const { nextAuthSecret, encryptionKey } = getSecrets();
  const source = `${nextAuthSecret}\u0000${encryptionKey.toString("base64")}`;
  if (cachedKey?.source !== source) {
    const key = Buffer.from(hkdfSync("sha256", Buffer.from(source, "utf8"), "guardian", "device-cookie/v1", 32));
    cachedKey = { source, key };
  }
  return cachedKey.key;
}

function mac(userId: string, nonce: string, epoch: number) {
  return createHmac("sha256", macKey()).update(`device/v2:${userId}:${nonce}:${epoch}`, "utf8").digest("base64url");
}

/** `epoch`: the user's session version (users.session_version) when the entry is made. */
export function signEntry({ userId, nonce }: DeviceEntry, epoch = 1) {
  return `${userId}.${nonce}.${mac(userId, nonce, epoch)}`;
}

type RawEntry = DeviceEntry & { given: string; raw: string };

/** One entry's parts, or null when it is malformed (its MAC is checked by `verified`, for its user's epoch). */
function splitEntry(raw: string): RawEntry | null {
  const [userId, nonce, given, extra] = raw.split(".");
  if (extra !== undefined || !userId || !nonce || !given) return null;
  if (!UUID.test(userId) || !NONCE.test(nonce) || !MAC.test(given)) return null;
  return { userId, nonce, given, raw };
}

/** Whether the entry's MAC is the one for `epoch`, compared in constant time. */
function verified(entry: RawEntry, epoch: number) {
  // Compared as text: decoding would ignore the last character's spare bits (two spellings, one MAC).
  const expected = Buffer.from(mac(entry.userId, entry.nonce, epoch), "utf8");
  const actual = Buffer.from(entry.given, "utf8");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function rawEntries(value: string | null | undefined): RawEntry[] {
  if (!value || value.length > MAX_COOKIE_LENGTH) return [];
  const entries: RawEntry[] = [];
  for (const raw of value.split("~").slice(0, MAX_ENTRIES)) {
    const entry = splitEntry(raw);
    if (entry && !entries.some((e) => e.userId === entry.userId)) entries.push(entry);
  }
  return entries;
}

/**
 * The well-formed entries of a cookie value, one per user, in cookie order; anything else is dropped.
 * Not yet verified: an entry counts only through `deviceFor`, with its user's current epoch.
 */
export function parseDeviceCookie(value: string | null | undefined): DeviceEntry[] {
  return rawEntries(value).map(({ userId, nonce }) => ({ userId, nonce }));
}

/** This browser's device entry for `userId` at `epoch`, or null (none, another user's, forged, altered, or from before the epoch). */
export function deviceFor(value: string | null | undefined, userId: string, epoch = 1): DeviceEntry | null {
  const entry = rawEntries(value).find((e) => e.userId === userId);
  return entry && verified(entry, epoch) ? { userId: entry.userId, nonce: entry.nonce } : null;
}

/**
 * The cookie value after a full login of `userId`: the user's existing entry (same nonce, so its
 * attempt counter stays the same) or a new one, first; other users' valid entries after it.
 */
export function issueDeviceCookie(value: string | null | undefined, userId: string, epoch = 1) {
  const known = deviceFor(value, userId, epoch);
  const mine = signEntry(known ?? { userId, nonce: randomToken(16) }, epoch);
  // Other users' entries stay as they are: each is checked with its own user's epoch when used.
  const others = rawEntries(value)
    .filter((e) => e.userId !== userId)
    .slice(0, MAX_ENTRIES - 1)
    .map((e) => e.raw);
  return { value: [mine, ...others].join("~"), known: known !== null };
}
