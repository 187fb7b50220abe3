/**
 * Security headers for every response (S5, S23 companions; see docs/security.md). proxy.ts applies
 * them to every page and redirect it sees, with a fresh CSP nonce per request (Next.js
 * reads the nonce from the request's Content-Security-Policy header and puts it on its own scripts);
 * next.config.ts applies the static ones to the assets the proxy skips (/_next/static, images).
 * Edge-safe: no Node-only imports.
 */

export const isDevelopment = () => process.env.NODE_ENV !== "production";

/**
 * HTTPS-only headers (HSTS, upgrade-insecure-requests) are sent by production builds unless the app's
 * own URL is plain http on localhost (the e2e suite's production build): there they would break it.
 */
export const isLocalHttp = () => /^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(process.env.NEXTAUTH_URL ?? "");

/** 128 random bits, base64: unpredictable and new for every request. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The Content-Security-Policy for a page rendered with `nonce`.
 * - scripts: only those carrying the nonce, and what they load ('strict-dynamic'); dev adds
 *   'unsafe-eval', which React needs there for its debugging stacks (never in production);
 * - styles: the app's own CSS plus inline styles (style attributes, Next's dev style tags, HTML mail
 *   previewed in the dev mailbox); styles cannot run code;
 * - images: the app, data: and blob: URLs (QR codes rendered as SVG/canvas/PNG data);
 * - frames: same origin only. An `<iframe sandbox srcDoc=…>` (the dev mailbox) fetches nothing, so
 *   frame-src does not apply to it; the srcdoc document inherits this policy (no scripts, no remote
 *   images), which is what a mail preview wants;
 * - nobody may frame us (frame-ancestors 'none'), forms post only to us, no plugins, no <base> tricks.
 */
export function contentSecurityPolicy(nonce: string, dev = isDevelopment()): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-src 'self'",
    "child-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(dev || isLocalHttp() ? [] : ["upgrade-insecure-requests"]),
  ];
  return directives.join("; ");
}

/** Headers that are the same for every response, including static assets. */
export function staticSecurityHeaders(dev = isDevelopment()): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    // HSTS only in production: a browser that saw it on http://localhost would refuse plain HTTP there for two years.
    ...(dev || isLocalHttp() ? {} : { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" }),
  };
}

/**
 * Sets the CSP, the static headers and Cache-Control: no-store on a response the proxy returns.
 * Every response the proxy sees is a page (auth or signed-in) or the dev mailbox: per-user or
 * per-moment, so no browser or shared cache may keep it. Route handlers (/api) get theirs from next.config.ts.
 */
export function applySecurityHeaders<R extends { headers: Headers }>(response: R, csp: string): R {
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(staticSecurityHeaders())) response.headers.set(name, value);
  response.headers.set("Cache-Control", "no-store, max-age=0");
  return response;
}
