/**
 * "Set up my 2FA now" from another page (the 2FA policy): where to go back once a method is on, with
 * that page's unsaved form in the query. Only known pages are followed (no open redirect).
 */
const RETURN_PAGES = [{ path: "/admin/settings", label: "Back to the 2FA policy" }];

export type ReturnTo = { href: string; label: string };

export function returnTarget(value: unknown): ReturnTo | null {
  if (typeof value !== "string" || value.length > 1000 || /[\u0000-\u001f\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, "http://app.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://app.invalid") return null;
  const page = RETURN_PAGES.find((p) => p.path === url.pathname);
  return page ? { href: `${url.pathname}${url.search}`, label: page.label } : null;
}

/** `href` with `?return=` added when there is a page to go back to. */
export function withReturn(href: string, back: ReturnTo | null) {
  return back ? `${href}${href.includes("?") ? "&" : "?"}return=${encodeURIComponent(back.href)}` : href;
}
