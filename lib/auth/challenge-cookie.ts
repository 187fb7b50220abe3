/** The login-challenge token lives in an httpOnly cookie: scripts on the page never see it. */
import { cookies } from "next/headers";
import { isProduction } from "@/lib/config";
import { REMEMBER_COOKIE } from "@/lib/mfa/remembered-devices";
import { CHALLENGE_TTL_SECONDS } from "./challenge";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS } from "./device-cookie";

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

/** Set only where a full login completes (lib/auth/options.ts). Secure whenever the app is served over https. */
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
