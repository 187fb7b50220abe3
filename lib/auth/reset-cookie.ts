/**
 * The proof that this browser passed the second factor for a password-reset link (reset-password.ts):
 * httpOnly, only sent to /reset-password pages, gone when the link expires or the password is set.
 */
import { cookies } from "next/headers";
import { isProduction } from "@/lib/config";

export const RESET_VERIFIED_COOKIE = "password_reset_verified";
const PATH = "/reset-password";

export async function setResetVerifiedCookie(proof: string, expiresAt: Date) {
  (await cookies()).set(RESET_VERIFIED_COOKIE, proof, {
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction(),
    path: PATH,
    expires: expiresAt,
  });
}

export async function readResetVerifiedCookie() {
  return (await cookies()).get(RESET_VERIFIED_COOKIE)?.value ?? null;
}

export async function clearResetVerifiedCookie() {
  (await cookies()).delete({ name: RESET_VERIFIED_COOKIE, path: PATH });
}
