/** Who is asking: client address and user agent, read from the request headers. */
import { headers } from "next/headers";
import { CLIENT_ADDRESS_HEADER, behindClientAddressServer } from "@/lib/client-address";
import { pickLocale } from "@/lib/locale";

export type ClientKind = "extension" | "mobile" | "cli";

/** Who is asking. `client`: an app signing in through the JSON API names itself (shown with its session). */
export type RequestMeta = { ip: string; userAgent: string; client?: { name: string; kind: ClientKind } };

/**
 * The one place the app reads the client address (attempt limits, audit log, sessions, devices).
 * server.ts works it out from the connection, and from X-Forwarded-For only as far as the operator
 * declared proxies (TRUSTED_PROXY_HOPS, TRUSTED_PROXIES: lib/proxy-trust.ts), and stamps it on the
 * request after deleting any copy the client sent. Without server.ts (plain `next start`) the header
 * could come from anyone, so it is not read: every address is "unknown". X-Forwarded-For and
 * X-Real-IP are never read here.
 */
export function metaFromHeaders(h: Headers): RequestMeta {
  const ip = (behindClientAddressServer() && h.get(CLIENT_ADDRESS_HEADER)) || "unknown";
  return { ip: ip.slice(0, 64), userAgent: (h.get("user-agent") ?? "").slice(0, 512) };
}

export async function requestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}

/** The locale dates are written in for this request (the browser's first language; lib/locale.ts). */
export async function requestLocale(): Promise<string> {
  return pickLocale((await headers()).get("accept-language"));
}
