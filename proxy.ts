/**
 * Convenience only: sends signed-out visitors of app pages to the login page. Every page, server
 * action and route handler authorises itself (lib/auth/current-user.ts); nothing trusts this file.
 */
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PREFIXES = ["/login", "/signup", "/invite", "/api/", "/dev/", "/_next/", "/favicon"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PREFIXES.some((p) => pathname.startsWith(p))) return NextResponse.next();
  const hasSession = request.cookies.getAll().some((c) => c.name.endsWith("next-auth.session-token"));
  if (!hasSession) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
