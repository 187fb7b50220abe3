/** Small, well-known primitives from node:crypto: random tokens, hashes, keyed hashes, AES-256-GCM, constant-time compare. */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { getSecrets } from "@/lib/config";

/** 256-bit random token, base64url: for challenges, sessions, invitations, remembered devices. */
export function randomToken(bytes = 32) {
  return randomBytes(bytes).toString("base64url");
}

/** Plain SHA-256: only for long random tokens (challenges, invitations, remembered browsers), never for what a person types. */
export function sha256(value: string) {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/**
 * What a keyed hash is for. Each purpose has its own key, derived from ENCRYPTION_KEY with HKDF under
 * its own label, so a value hashed for one purpose means nothing for another (nor for AES).
 */
export type KeyedHashPurpose = "email-code" | "recovery-code" | "temp-access-code";

/** Stored keyed hashes start with this: a row tells which scheme wrote it (plain SHA-256 rows have no prefix). */
export const KEYED_HASH_PREFIX = "hmac1:";

const derivedKeys = new WeakMap<Buffer, Map<KeyedHashPurpose, Buffer>>();

function purposeKey(purpose: KeyedHashPurpose, key: Buffer) {
  let byPurpose = derivedKeys.get(key);
  if (!byPurpose) derivedKeys.set(key, (byPurpose = new Map()));
  let derived = byPurpose.get(purpose);
  if (!derived) {
    derived = Buffer.from(hkdfSync("sha256", key, "guardian keyed hash", `guardian/${purpose}/v1`, 32));
    byPurpose.set(purpose, derived);
  }
  return derived;
}

/**
 * HMAC-SHA-256 under the purpose's key, prefixed with its version (S37). Short codes a person types
 * (six digits, recovery codes) are stored this way: without the server key, a copy of the database
 * gives no way to test a guess. Compare in SQL equality on this value (the stored side is the hash).
 */
export function keyedHash(purpose: KeyedHashPurpose, value: string, key = getSecrets().encryptionKey) {
  return KEYED_HASH_PREFIX + createHmac("sha256", purposeKey(purpose, key)).update(value, "utf8").digest("hex");
}

/** Six digits from a CSPRNG (uniform: randomInt rejects biased values). */
export function randomDigits(length = 6) {
  return Array.from({ length }, () => randomInt(0, 10)).join("");
}

export function constantTimeEqual(a: string, b: string) {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  // Compare equal-length buffers so the time does not depend on where they differ.
  const same = ab.length === bb.length;
  return timingSafeEqual(same ? ab : bb, bb) && same;
}

const VERSION = "v1";

/** AES-256-GCM with a random 96-bit nonce; output `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function encrypt(plaintext: string, key = getSecrets().encryptionKey) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decrypt(payload: string, key = getSecrets().encryptionKey) {
  const [version, iv, tag, ciphertext] = payload.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error("Unrecognised ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
