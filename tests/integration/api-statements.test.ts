/**
 * Statements per API request (counted at the driver as in login-statements.test.ts): the API adds a few
 * round trips to the web's steps (the methods of the challenge, the token pair), never a copy of them.
 */
import { describe, expect, it } from "vitest";
import { apiLogin, apiVerify } from "@/lib/api/login";
import { authenticate, refreshTokens } from "@/lib/api/tokens";
import { CLIENT, freshAddress, oathtool, withApp } from "./api-client";
import { countingDb } from "./counting-db";
import { PASSWORD, createUser, orgWithAdmin } from "./factories";

const from = () => ({ ip: freshAddress(), userAgent: "guardian-cli/1.0" });

describe("statements per API request", () => {
  it("login, second factor, a bearer request and a refresh stay within their bounds", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id, { lastLoginAt: new Date() });
    const { secret } = await withApp(user, org);
    const counted: Record<string, number> = {};

    const login = await countingDb();
    const started = await apiLogin(login.db, { email: user.email, password: PASSWORD, client: CLIENT }, from());
    counted.login = login.statements.length;
    if (started.next !== "mfa") throw new Error("expected mfa");

    const verify = await countingDb();
    const pair = await apiVerify(verify.db, { challenge: started.challenge, method: "totp", code: oathtool(secret) }, from());
    counted.mfa = verify.statements.length;

    const bearer = await countingDb();
    await authenticate(bearer.db, pair.accessToken);
    counted.bearer = bearer.statements.length;

    const refresh = await countingDb();
    await refreshTokens(refresh.db, pair.refreshToken, from());
    counted.refresh = refresh.statements.length;

    // Measured: login 5 (the web's 3, the challenge, its methods), mfa 6 (challenge, methods, the web's 3 for TOTP,
    // the token pair), bearer 2 (+1 when 2FA is required: the user's factors), refresh 3.
    expect(counted.login, login.statements.join("\n")).toBeLessThanOrEqual(5);
    expect(counted.mfa, verify.statements.join("\n")).toBeLessThanOrEqual(6);
    expect(counted.bearer, bearer.statements.join("\n")).toBeLessThanOrEqual(3);
    expect(counted.refresh, refresh.statements.join("\n")).toBeLessThanOrEqual(3);
  });
});
