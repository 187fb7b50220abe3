import { createHmac, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KEYED_HASH_PREFIX, constantTimeEqual, decrypt, encrypt, keyedHash, randomDigits, randomToken, sha256 } from "@/lib/crypto";

const key = Buffer.alloc(32, 1);

describe("crypto", () => {
  it("round-trips AES-256-GCM and uses a fresh nonce each time", () => {
    const a = encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", key);
    const b = encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DP");
    expect(decrypt(a, key)).toBe("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  });

  it("refuses a tampered ciphertext or the wrong key", () => {
    const c = encrypt("secret", key);
    const parts = c.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    parts[3] = body.toString("base64url");
    expect(() => decrypt(parts.join("."), key)).toThrow();
    expect(() => decrypt(c, Buffer.alloc(32, 2))).toThrow();
  });

  it("makes random tokens and six-digit codes", () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 50 }, () => randomToken())).size).toBe(50);
    for (let i = 0; i < 200; i++) expect(randomDigits()).toMatch(/^\d{6}$/);
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("keyed hashes: HMAC-SHA-256 under a per-purpose key derived with HKDF, versioned; another key or purpose gives another value", () => {
    // Pinned construction: stored rows must keep verifying after any refactoring.
    const derived = Buffer.from(hkdfSync("sha256", key, "guardian keyed hash", "guardian/recovery-code/v1", 32));
    const expected = KEYED_HASH_PREFIX + createHmac("sha256", derived).update("0123456789abcdef").digest("hex");
    expect(keyedHash("recovery-code", "0123456789abcdef", key)).toBe(expected);
    expect(expected).toMatch(/^hmac1:[0-9a-f]{64}$/);
    expect(keyedHash("recovery-code", "0123456789abcdef", key)).not.toContain(sha256("0123456789abcdef"));
    expect(keyedHash("email-code", "0123456789abcdef", key)).not.toBe(expected);
    expect(keyedHash("recovery-code", "0123456789abcdef", Buffer.alloc(32, 2))).not.toBe(expected);
  });

  it("compares in constant time and correctly", () => {
    expect(constantTimeEqual("123456", "123456")).toBe(true);
    expect(constantTimeEqual("123456", "123457")).toBe(false);
    expect(constantTimeEqual("123456", "1234567")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
