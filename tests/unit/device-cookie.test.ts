import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.NEXTAUTH_SECRET = "unit-test-secret";
  process.env.ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");
});

const { MAX_ENTRIES, deviceFor, issueDeviceCookie, parseDeviceCookie, signEntry } = await import("@/lib/auth/device-cookie");

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** The base64url character whose 6-bit value differs only in the lowest bit. */
const lowBitFlipped = (c: string) => (B64URL.includes(c) ? B64URL[B64URL.indexOf(c) ^ 1]! : c);

describe("device cookie (OWASP device cookies)", () => {
  const alice = randomUUID();
  const bob = randomUUID();

  it("issues a signed entry for the user and recognises it; keeps the nonce on the next login", () => {
    const first = issueDeviceCookie(null, alice);
    expect(first.known).toBe(false);
    const entry = deviceFor(first.value, alice)!;
    expect(entry.userId).toBe(alice);
    expect(entry.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = issueDeviceCookie(first.value, alice);
    expect(again).toEqual({ value: first.value, known: true });
  });

  it("refuses another user's entry, a forged MAC, any altered character and junk", () => {
    const { value } = issueDeviceCookie(null, alice);
    expect(deviceFor(value, bob)).toBeNull();
    const [, nonce] = value.split(".");
    expect(deviceFor(`${bob}.${nonce}.${value.split(".")[2]}`, bob)).toBeNull(); // Alice's MAC on Bob's id
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "." || value[i] === "-") continue;
      // The neighbouring letter differs only in the lowest bit: also the MAC's unused last bits.
      for (const c of [value[i] === "a" ? "b" : "a", lowBitFlipped(value[i]!)]) {
        const altered = value.slice(0, i) + c + value.slice(i + 1);
        if (altered !== value) expect(deviceFor(altered, alice), `character ${i}`).toBeNull();
      }
    }
    const mac = value.split(".")[2]!;
    const spare = mac.slice(0, -1) + lowBitFlipped(mac.at(-1)!);
    expect(Buffer.from(spare, "base64url")).toEqual(Buffer.from(mac, "base64url")); // same bytes, other text
    expect(deviceFor(value.replace(mac, spare), alice)).toBeNull();
    for (const junk of ["", "~", "a.b.c", `${value}.extra`, `${value.toUpperCase()}`, "x".repeat(5000)])
      expect(deviceFor(junk, alice)).toBeNull();
  });

  it("keeps several users of a shared browser, newest first, at most MAX_ENTRIES", () => {
    let value: string | null = null;
    const ids = Array.from({ length: MAX_ENTRIES + 2 }, () => randomUUID());
    for (const id of ids) value = issueDeviceCookie(value, id).value;
    const users = parseDeviceCookie(value).map((e) => e.userId);
    expect(users).toEqual(ids.slice(-MAX_ENTRIES).reverse());
    // Signing in again as an older user moves them first without a new nonce.
    const older = ids.at(-3)!;
    const before = deviceFor(value, older);
    const after = issueDeviceCookie(value, older);
    expect(after.known).toBe(true);
    expect(parseDeviceCookie(after.value)[0]).toEqual(before);
    expect(signEntry(before!)).toBe(after.value.split("~")[0]);
  });
});
