/**
 * Secrets and settings from the environment. In development a missing NEXTAUTH_SECRET or
 * ENCRYPTION_KEY is generated once into .data/secrets.json; in production the app refuses to start.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const PRODUCT_NAME = "Guardian";

export const isProduction = () => process.env.NODE_ENV === "production";

/**
 * The dev mailbox (mail stored in the database, readable without signing in) exists outside production.
 * A production build serves it only when DEV_MAILBOX=1 AND the app's own URL is on localhost: that is
 * how the e2e suite runs a production build; a real deployment can never turn it on by accident.
 */
export function devMailboxEnabled() {
  if (!isProduction()) return true;
  if (process.env.DEV_MAILBOX !== "1") return false;
  try {
    const host = new URL(process.env.NEXTAUTH_URL ?? "").hostname;
    return host === "localhost" || host === "127.0.0.1";
  } catch {
    return false;
  }
}

export function dataDir() {
  return path.resolve(process.cwd(), ".data");
}

type Secrets = { nextAuthSecret: string; encryptionKey: Buffer };
let cached: Secrets | undefined;

export class ConfigError extends Error {}

function parseKey(value: string): Buffer {
  const hex = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : null;
  const key = hex ?? Buffer.from(value, "base64");
  if (key.length !== 32) {
    throw new ConfigError("ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32).");
  }
  return key;
}

function devSecretsFile(): Record<string, string> {
  const file = path.join(dataDir(), "secrets.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    const generated = {
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    };
    fs.mkdirSync(dataDir(), { recursive: true });
    try {
      fs.writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600, flag: "wx" });
      return generated;
    } catch {
      // Another process wrote it first: use theirs.
      return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
    }
  }
}

export function getSecrets(): Secrets {
  if (cached) return cached;
  let nextAuthSecret = process.env.NEXTAUTH_SECRET;
  let encryptionKey = process.env.ENCRYPTION_KEY;
  if (!nextAuthSecret || !encryptionKey) {
    if (isProduction()) {
      const missing = [!nextAuthSecret && "NEXTAUTH_SECRET", !encryptionKey && "ENCRYPTION_KEY"].filter(Boolean).join(" and ");
      throw new ConfigError(`${missing} must be set in production. Generate each with: openssl rand -base64 32`);
    }
    const dev = devSecretsFile();
    nextAuthSecret ??= dev.NEXTAUTH_SECRET;
    encryptionKey ??= dev.ENCRYPTION_KEY;
  }
  cached = { nextAuthSecret: nextAuthSecret!, encryptionKey: parseKey(encryptionKey!) };
  return cached;
}

/** Session lifetime and idle timeout, configurable for deployments (and for tests). */
export const SESSION_MAX_AGE_SECONDS = Number(process.env.SESSION_MAX_AGE_SECONDS ?? 12 * 60 * 60);
export const SESSION_IDLE_SECONDS = Number(process.env.SESSION_IDLE_SECONDS ?? 30 * 60);
