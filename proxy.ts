/**
 * Convenience only: sends signed-out visitors of the app's pages to the login page. Every page, server
 * action and route handler authorises itself (lib/auth/current-user.ts); nothing trusts this file.
 * It also puts the security headers on every response it sees, with a fresh CSP nonce per request
 * (lib/security-headers.ts): Next.js reads the nonce from the request's CSP header for its scripts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { applySecurityHeaders, contentSecurityPolicy, createNonce } from "@/lib/security-headers";

/**
 * The signed-in app's pages: a signed-out visit goes to the login page (and back afterwards). Any
 * other path is left to the app, so a mistyped URL gets the "Page not found" page (404), not a login.
 */
const APP_PREFIXES = ["/security", "/profile", "/admin"];
const isAppPage = (pathname: string) => pathname === "/" || APP_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce);
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("next-auth.session-token"));
  if (isAppPage(pathname) && !hasSession) {
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

// Only what renders a page: route handlers under /api answer JSON (their headers come from
// next.config.ts), static files from public/ need neither the redirect nor a CSP nonce. Skipping the
// proxy there saves a middleware pass on every login step and health check (docs/performance.md).
export const config = { matcher: ["/((?!api/|_next/static|_next/image|favicon\\.ico|favicon\\.svg|logo\\.svg).*)"] };
