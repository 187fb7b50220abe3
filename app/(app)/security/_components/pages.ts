/** The Security area's pages, in menu order (its sub-navigation and the header's user menu). */
export const SECURITY_PAGES = [
  { href: "/security/account", label: "Account" },
  { href: "/security/two-factor", label: "Two-factor" },
  { href: "/security/sessions", label: "Sessions and browsers" },
  { href: "/security/login-history", label: "Login history" },
  { href: "/security/notifications", label: "Notifications" },
] as const;

/**
 * Where the sections of the old single /profile page live now. /profile redirects to the Account
 * page and the browser keeps the #fragment through the redirect; LegacyAnchor moves on from there.
 */
export const LEGACY_ANCHORS: Record<string, string> = {
  "#two-factor": "/security/two-factor",
  "#recovery-codes": "/security/two-factor",
  "#sessions": "/security/sessions",
  "#remembered-devices": "/security/sessions#remembered-devices",
  "#login-history": "/security/login-history",
};
