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
