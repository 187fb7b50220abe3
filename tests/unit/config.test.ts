import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("secrets", () => {
  it("production refuses to start without NEXTAUTH_SECRET or ENCRYPTION_KEY, saying how to make them", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXTAUTH_SECRET", "");
    vi.stubEnv("ENCRYPTION_KEY", "");
    const { getSecrets, ConfigError } = await import("@/lib/config");
    expect(() => getSecrets()).toThrow(ConfigError);
    expect(() => getSecrets()).toThrow(/NEXTAUTH_SECRET and ENCRYPTION_KEY must be set in production.*openssl rand -base64 32/);
  });

  it("refuses a key that is not 32 bytes", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
    vi.stubEnv("ENCRYPTION_KEY", Buffer.alloc(16).toString("base64"));
    const { getSecrets } = await import("@/lib/config");
    expect(() => getSecrets()).toThrow(/ENCRYPTION_KEY must be 32 bytes/);
  });

  it("accepts 64 hex characters or base64 of 32 bytes", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(40));
    vi.stubEnv("ENCRYPTION_KEY", "ab".repeat(32));
    const { getSecrets } = await import("@/lib/config");
    expect(getSecrets().encryptionKey).toHaveLength(32);
  });

  it("the instrumentation hook checks them at server start", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    vi.stubEnv("NEXTAUTH_SECRET", "");
    vi.stubEnv("ENCRYPTION_KEY", "");
    const { register } = await import("@/instrumentation");
    await expect(register()).rejects.toThrow(/must be set in production/);
  });
});
