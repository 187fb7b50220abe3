/** Who is asking: client address and user agent, read from the request headers. */
import { headers } from "next/headers";

export type RequestMeta = { ip: string; userAgent: string };

export function metaFromHeaders(h: Headers): RequestMeta {
  // The first X-Forwarded-For entry is the client as seen by our reverse proxy (or Next itself).
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || h.get("x-real-ip") || "unknown";
  return { ip: ip.slice(0, 64), userAgent: (h.get("user-agent") ?? "").slice(0, 512) };
}

export async function requestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}
