/** Temporary access codes (S40): the format a person reads out and types back. */
import { describe, expect, it } from "vitest";
import {
  TEMP_CODE_ALPHABET,
  TEMP_CODE_LENGTH,
  formatTempCode,
  newTempCode,
  normaliseTempCode,
  tempCodeHours,
  tempCodeSchema,
} from "@/lib/mfa/temp-codes";

describe("temporary access codes", () => {
  it("use 12 characters from 30 without look-alikes (no 0, O, 1, I, L, U): about 59 bits", () => {
    expect(TEMP_CODE_ALPHABET).toHaveLength(30);
    expect(new Set(TEMP_CODE_ALPHABET).size).toBe(30);
    expect(TEMP_CODE_ALPHABET).not.toMatch(/[01ILOU]/);
    expect(TEMP_CODE_LENGTH * Math.log2(TEMP_CODE_ALPHABET.length)).toBeGreaterThan(58);
  });

  it("are drawn from the whole alphabet, never repeat in practice, and are shown in groups of four", () => {
    const codes = Array.from({ length: 2000 }, newTempCode);
    expect(new Set(codes).size).toBe(codes.length);
    const seen = new Set(codes.join(""));
    expect([...TEMP_CODE_ALPHABET].every((c) => seen.has(c))).toBe(true);
    for (const code of codes.slice(0, 50)) {
      expect(code).toMatch(new RegExp(`^[${TEMP_CODE_ALPHABET}]{12}$`));
      expect(formatTempCode(code)).toBe(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    }
  });

  it("are typed back with any case, spaces or dashes; anything else is refused with one clear message", () => {
    expect(normaliseTempCode(" abcd-efgh jkmn ")).toBe("ABCDEFGHJKMN");
    expect(tempCodeSchema.parse("  wxyz - 2345 - 6789 ")).toBe("WXYZ23456789");
    for (const bad of ["", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKM0", "ABCD-EFGH-JKMI", "ABCD EFGH JKM!", "x".repeat(65)]) {
      expect(tempCodeSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("last 1 to 24 whole hours", () => {
    expect(tempCodeHours.parse("1")).toBe(1);
    expect(tempCodeHours.parse(24)).toBe(24);
    for (const bad of [0, 25, "1.5", "", "x", -3]) expect(tempCodeHours.safeParse(bad).success, String(bad)).toBe(false);
  });
});
