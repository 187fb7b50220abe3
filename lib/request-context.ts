/** Who is asking: client address and user agent, read from the request headers. */
import { headers } from "next/headers";

export type RequestMeta = { ip: string; userAgent: string };

/**
 * The client address. Anyone can send X-Forwarded-For, so only the entries added by our own reverse
 * proxies count: with TRUSTED_PROXY_HOPS=N (default 1, one proxy that appends the address it saw, like
 * nginx's $proxy_add_x_forwarded_for) the client is the N-th entry from the right; entries a client
 * wrote itself sit further left and are ignored. (Without any proxy, Next fills the header from the
 * socket only when it is missing: deploy behind a proxy; see README.)
 */
export function clientAddress(h: Headers, hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 1)): string | null {
  const entries = (h.get("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const n = Number.isInteger(hops) && hops > 0 ? hops : 1;
  return entries[Math.max(0, entries.length - n)] ?? null;
}

export function metaFromHeaders(h: Headers): RequestMeta {
  const ip = clientAddress(h) || h.get("x-real-ip") || "unknown";
  return { ip: ip.slice(0, 64), userAgent: (h.get("user-agent") ?? "").slice(0, 512) };
}

export async function requestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}
