/**
 * Convenience only: sends signed-out visitors of app pages to the login page. Every page, server
 * action and route handler authorises itself (lib/auth/current-user.ts); nothing trusts this file.
 * It also puts the security headers on every response it sees, with a fresh CSP nonce per request
 * (lib/security-headers.ts): Next.js reads the nonce from the request's CSP header for its scripts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { applySecurityHeaders, contentSecurityPolicy, createNonce } from "@/lib/security-headers";

const PUBLIC_PREFIXES = ["/login", "/signup", "/invite", "/forgot-password", "/reset-password", "/api/", "/dev/", "/_next/", "/favicon"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce);
  const isPublic = PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("next-auth.session-token"));
  if (!isPublic && !hasSession) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return applySecurityHeaders(NextResponse.redirect(url), csp);
  }
  // Overwrites whatever the client sent under these names.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return applySecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

// Static files from public/ (favicon, logo) need neither the redirect nor a CSP nonce.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon\\.ico|favicon\\.svg|logo\\.svg).*)"] };
