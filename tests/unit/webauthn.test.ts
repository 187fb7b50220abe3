import { describe, expect, it } from "vitest";
import { counterWentBack, parseAuthentication, parseRegistration, relyingParty, signedChallenge } from "@/lib/mfa/webauthn";

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const clientData = (challenge: unknown) => b64(JSON.stringify({ type: "webauthn.get", challenge, origin: "https://x.test" }));
const answer = (over: Record<string, unknown> = {}, response: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: "abc",
    rawId: "abc",
    type: "public-key",
    response: { clientDataJSON: clientData("Y2hhbGxlbmdl"), authenticatorData: "AAAA", signature: "BBBB", ...response },
    ...over,
  });

describe("WebAuthn input", () => {
  it("the counter must grow when either side keeps one; 0 and 0 is a key without a counter", () => {
    expect(counterWentBack(0, 0)).toBe(false);
    expect(counterWentBack(0, 1)).toBe(false);
    expect(counterWentBack(5, 6)).toBe(false);
    expect(counterWentBack(5, 5)).toBe(true);
    expect(counterWentBack(5, 4)).toBe(true);
    expect(counterWentBack(5, 0)).toBe(true);
  });

  it("reads the signed challenge, and refuses anything that is not an answer", () => {
    expect(signedChallenge(clientData("Y2hhbGxlbmdl"))).toBe("Y2hhbGxlbmdl");
    expect(signedChallenge(clientData(42))).toBeNull();
    expect(signedChallenge(clientData("not base64url!"))).toBeNull();
    expect(signedChallenge("%%%")).toBeNull();
    expect(parseAuthentication(answer())).toMatchObject({ challenge: "Y2hhbGxlbmdl", response: { id: "abc" } });
    for (const bad of [
      "",
      "null",
      "[]",
      "{",
      answer({ rawId: "other" }),
      answer({ type: "other" }),
      answer({}, { signature: undefined }),
      answer({}, { userHandle: 7 }),
      answer({}, { clientDataJSON: b64("not json") }),
      "x".repeat(20_000),
    ]) {
      expect(parseAuthentication(bad), bad.slice(0, 60)).toBeNull();
    }
    expect(parseRegistration(answer())).toBeNull(); // no attestationObject
  });

  it("takes the relying party from NEXTAUTH_URL: its host name is the rp id, its origin the only origin", () => {
    const before = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "https://login.example.com:8443/";
    expect(relyingParty()).toMatchObject({ id: "login.example.com", origin: "https://login.example.com:8443" });
    if (before === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = before;
  });
});
