/**
 * The login's cookies, all httpOnly: the challenge token (scripts on the page never see it), the
 * remembered-browser token, the device cookie and, at the end, the session JWT that next-auth reads.
 */
import { cookies } from "next/headers";
import { encode } from "next-auth/jwt";
import { SESSION_MAX_AGE_SECONDS, getSecrets, isProduction } from "@/lib/config";
import { REMEMBER_COOKIE } from "@/lib/mfa/remembered-devices";
import { CHALLENGE_TTL_SECONDS } from "./challenge";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS } from "./device-cookie";
import type { SignedIn } from "./open-session";

export const CHALLENGE_COOKIE = "login_challenge";

export async function setChallengeCookie(token: string) {
  (await cookies()).set(CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction(),
    path: "/",
    maxAge: CHALLENGE_TTL_SECONDS,
  });
}

export async function readChallengeToken() {
  return (await cookies()).get(CHALLENGE_COOKIE)?.value ?? null;
}

/** The remembered-device token (lib/mfa/remembered-devices.ts), kept as long as the device is remembered. */
export async function readRememberedDeviceToken() {
  return (await cookies()).get(REMEMBER_COOKIE)?.value ?? null;
}

export async function setRememberedDeviceCookie(token: string, expiresAt: Date) {
  (await cookies()).set(REMEMBER_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: isProduction(), path: "/", expires: expiresAt });
}

/** The device cookie (lib/auth/device-cookie.ts): signed, verified wherever it is read. */
export async function readDeviceCookie() {
  return (await cookies()).get(DEVICE_COOKIE)?.value ?? null;
}

/** Set only where a full login completes (startSession). Secure whenever the app is served over https. */
export async function setDeviceCookie(value: string) {
  const secure = isProduction() || (process.env.NEXTAUTH_URL ?? "").startsWith("https:");
  (await cookies()).set(DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
}

/** next-auth's own name for its session cookie (lib/auth/options.ts: `useSecureCookies` in production). */
export const sessionCookieName = () => `${isProduction() ? "__Secure-" : ""}next-auth.session-token`;

/**
 * The end of a login, in the response of the request whose step completed it: the session JWT, made with
 * next-auth's own `encode` and the claims its callbacks read (lib/auth/options.ts), the device cookie
 * that marks this browser as known, and the challenge cookie gone. No second request, no redirect dance.
 */
export async function startSession(signedIn: SignedIn) {
  const jar = await cookies();
  const token = { uid: signedIn.userId, sid: signedIn.sessionId, ver: signedIn.sessionVersion, sub: signedIn.userId };
  const value = await encode({ token, secret: getSecrets().nextAuthSecret, maxAge: SESSION_MAX_AGE_SECONDS });
  jar.set(sessionCookieName(), value, {
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction(),
    path: "/",
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  jar.delete(CHALLENGE_COOKIE);
  await setDeviceCookie(signedIn.deviceCookie);
}
