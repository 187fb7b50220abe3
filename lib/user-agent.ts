/** "Chrome 131 on Linux": a short, human description of a User-Agent header (ua-parser-js). */
import { UAParser } from "ua-parser-js";

export type DeviceDescription = { browser: string; os: string; text: string };

export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription {
  const ua = (userAgent ?? "").slice(0, 512);
  if (!ua.trim()) return { browser: "Unknown browser", os: "unknown system", text: "Unknown browser" };
  const result = UAParser(ua);
  const browser = result.browser.name
    ? `${result.browser.name}${result.browser.major ? ` ${result.browser.major}` : ""}`
    : "Unknown browser";
  const os = result.os.name ? `${result.os.name}${result.os.version ? ` ${result.os.version}` : ""}` : "unknown system";
  const text = result.os.name ? `${browser} on ${os}` : browser;
  return { browser, os, text };
}

const CLIENT_KINDS: Record<string, string> = { extension: "browser extension", mobile: "mobile app", cli: "command line" };

/** "browser extension", "mobile app", "command line": the kind of an app signed in through the JSON API. */
export function clientKindLabel(kind: string) {
  return CLIENT_KINDS[kind] ?? "app";
}

/**
 * What a session is, for Security › Sessions: an API client by its name and kind ("Guardian CLI ·
 * command line"), a browser by its User-Agent ("Chrome 131 on Linux").
 */
export function describeSession(s: { userAgent: string | null; clientName?: string | null; clientKind?: string | null }) {
  if (s.clientName && s.clientKind) return `${s.clientName} · ${clientKindLabel(s.clientKind)}`;
  return describeUserAgent(s.userAgent).text;
}
