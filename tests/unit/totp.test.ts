import fs from "node:fs";
import path from "node:path";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { newRecoveryCode, normaliseRecoveryCode } from "@/lib/mfa/recovery";
import { checkTotp, currentTotp, formatSecret, newTotpSecret, otpauthUri } from "@/lib/mfa/totp";

// The team's shared test vectors live in ../shared beside the project (SHARED_DIR overrides).
const sharedDir = [process.env.SHARED_DIR, path.resolve(process.cwd(), "../shared"), "/work/shared"].find(
  (d) => d && fs.existsSync(path.join(d, "vectors")),
);
const vectors = JSON.parse(fs.readFileSync(path.join(sharedDir ?? "../shared", "vectors/otp-test-vectors.json"), "utf8"));
const base32 = (ascii: string) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const b of Buffer.from(ascii)) bits += b.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, "0"), 2)];
  return out;
};

describe("RFC 4226 and RFC 6238 published values (shared/vectors)", () => {
  it("HOTP counters 0..9", async () => {
    for (const [counter, code] of (vectors.hotp.codesByCounter as string[]).entries()) {
      expect(await generate({ strategy: "hotp", secret: vectors.hotp.secretBase32, counter })).toBe(code);
    }
  });

  it("TOTP, SHA1/SHA256/SHA512 with their own seeds, 8 digits and the low 6 digits", async () => {
    for (const c of vectors.totp.cases as Array<Record<string, string | number>>) {
      for (const alg of ["sha1", "sha256", "sha512"] as const) {
        const secret = base32(vectors.totp.seedsAscii[alg]);
        const opts = { secret, epoch: c.unixTime as number, period: 30, algorithm: alg };
        expect(await generate({ ...opts, digits: 8 })).toBe(c[alg]);
        expect(await generate({ ...opts, digits: 6 })).toBe((c[alg] as string).slice(-6));
      }
    }
    // Our own wrapper (SHA1, 6 digits) agrees with the published SHA1 values.
    const sha1 = base32(vectors.totp.seedsAscii.sha1);
    expect(await currentTotp(sha1, 59)).toBe("287082");
    expect(await currentTotp(sha1, 1111111109)).toBe("081804");
  });
});

describe("checkTotp", () => {
  const secret = newTotpSecret();
  const t = 1_800_000_000;
  it("accepts one step of drift either side, not two", async () => {
    for (const [offset, valid] of [
      [0, true],
      [-30, true],
      [30, true],
      [-60, false],
      [60, false],
    ] as const) {
      const code = await currentTotp(secret, t + offset);
      expect((await checkTotp(secret, code, { epochSeconds: t })).valid, `offset ${offset}`).toBe(valid);
    }
  });
  it("refuses steps at or before the last accepted one", async () => {
    const code = await currentTotp(secret, t);
    const ok = await checkTotp(secret, code, { epochSeconds: t });
    expect(ok.valid).toBe(true);
    const step = (ok as { timeStep: number }).timeStep;
    expect(step).toBe(Math.floor(t / 30));
    expect((await checkTotp(secret, code, { epochSeconds: t, afterTimeStep: step })).valid).toBe(false);
    expect((await checkTotp(secret, await currentTotp(secret, t + 30), { epochSeconds: t, afterTimeStep: step })).valid).toBe(true);
  });
  it("takes pasted codes with spaces and refuses anything that is not six digits", async () => {
    const code = await currentTotp(secret, t);
    expect((await checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { epochSeconds: t })).valid).toBe(true);
    for (const bad of ["", "12345", "1234567", "abcdef", "12345a", "' OR 1=1"]) {
      expect((await checkTotp(secret, bad, { epochSeconds: t })).valid).toBe(false);
    }
  });
});

describe("otpauth URI (Key URI format)", () => {
  it("has the label Issuer:account, both encoded, and the issuer parameter equal to the prefix, with spaces", () => {
    const uri = otpauthUri({ issuer: "Guardian (Acme Support)", account: "ada@acme.test", secret: "JBSWY3DPEHPK3PXP" });
    expect(uri).toBe(
      "otpauth://totp/Guardian%20(Acme%20Support):ada%40acme.test?secret=JBSWY3DPEHPK3PXP&issuer=Guardian%20(Acme%20Support)&algorithm=SHA1&digits=6&period=30",
    );
    const url = new URL(uri);
    const [issuer, account] = decodeURIComponent(url.pathname.replace(/^\/+/, "")).split(":");
    expect(url.searchParams.get("issuer")).toBe(issuer);
    expect(account).toBe("ada@acme.test");
  });
  it("keeps colons out of both parts", () => {
    const uri = otpauthUri({ issuer: "Acme: Support", account: "we:ird@x.test", secret: "JBSWY3DPEHPK3PXP" });
    const label = uri.slice("otpauth://totp/".length, uri.indexOf("?"));
    expect(label.split(":")).toHaveLength(2);
    expect(decodeURIComponent(label)).toBe("Acme Support:weird@x.test");
  });
  it("makes 160-bit Base32 secrets and groups them by four", () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(formatSecret("ABCDEFGHIJKL")).toBe("ABCD EFGH IJKL");
  });
});

describe("recovery codes", () => {
  it("have 64 bits and normalise what people type", () => {
    const c = newRecoveryCode();
    expect(c).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    expect(normaliseRecoveryCode(" AB12-cd34 EF56-7890 ")).toBe("ab12cd34ef567890");
  });
});
