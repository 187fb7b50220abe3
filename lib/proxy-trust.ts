/**
 * Who connected: the client address, from the TCP connection and, only when the operator declared
 * reverse proxies, from the X-Forwarded-For entries those proxies appended (proxy-addr does the walk,
 * as in Express). Used by server.ts, which stamps the result on each request (lib/client-address.ts).
 *
 * - Nothing set (or TRUSTED_PROXY_HOPS=0): the connection's peer; X-Forwarded-For is ignored.
 * - TRUSTED_PROXY_HOPS=N: the N hops nearest the app are proxies; the client is the address the
 *   outermost of them saw (the peer, then X-Forwarded-For read from the right, N entries deep at most).
 * - TRUSTED_PROXIES=list: a hop counts as a proxy only when its address is in the list (addresses,
 *   CIDRs, or proxy-addr's names loopback, linklocal, uniquelocal). A client that reaches the app
 *   directly is then its own address whatever it writes.
 * - Both: a hop must be within the first N *and* in the list.
 * Addresses are normalised (IPv4-mapped IPv6 to IPv4, canonical IPv6 text) so one client is one key.
 */
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import { CLIENT_ADDRESS_HEADER } from "./client-address";

export type ProxyTrust = {
  /** proxy-addr's trust function: is hop `i` (0 = the connection's peer) one of our proxies? */
  trust: (addr: string, i: number) => boolean;
  /** One line for the start-up log. */
  description: string;
};

/** A setting that cannot be used: the server refuses to start and prints the message. */
export class ProxyTrustSettingError extends Error {}

const MAX_HOPS = 10;

function parseHops(raw: string | undefined): number | null {
  const value = raw?.trim();
  if (!value) return null;
  if (!/^\d+$/.test(value) || Number(value) > MAX_HOPS) {
    throw new ProxyTrustSettingError(
      `TRUSTED_PROXY_HOPS must be a whole number from 0 to ${MAX_HOPS} (the number of reverse proxies in front of the app; 0 or unset: none), not "${raw}".`,
    );
  }
  return Number(value);
}

function parseProxies(raw: string | undefined): { entries: string[]; trust: (addr: string, i: number) => boolean } | null {
  const entries = (raw ?? "").split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) return null;
  for (const entry of entries) {
    try {
      proxyaddr.compile(entry);
    } catch (e) {
      throw new ProxyTrustSettingError(
        `TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range (such as 10.0.0.0/8 or fd00::/8, prefix at least 1) or one of loopback, linklocal, uniquelocal (${(e as Error).message}).`,
      );
    }
  }
  return { entries, trust: proxyaddr.compile(entries) };
}

/** Reads TRUSTED_PROXY_HOPS and TRUSTED_PROXIES; throws ProxyTrustSettingError for a setting it cannot use. */
export function proxyTrustFromEnv(env: Record<string, string | undefined> = process.env): ProxyTrust {
  const hops = parseHops(env.TRUSTED_PROXY_HOPS);
  const proxies = parseProxies(env.TRUSTED_PROXIES);
  if (hops === 0 && proxies) {
    throw new ProxyTrustSettingError("TRUSTED_PROXY_HOPS=0 says there is no proxy, but TRUSTED_PROXIES lists some: set one or the other.");
  }
  if (!proxies && !hops) {
    return { trust: () => false, description: "the connection's peer (no proxy declared; X-Forwarded-For is ignored)" };
  }
  const listed = proxies?.trust ?? (() => true);
  const limit = hops ?? Infinity;
  // A hop that is not a valid address cannot be one of our proxies: the walk stops there.
  const trust = (addr: string, i: number) => i < limit && ipaddr.isValid(addr) && listed(addr, i);
  const declared = [hops ? `TRUSTED_PROXY_HOPS=${hops}` : null, proxies ? `TRUSTED_PROXIES=${proxies.entries.join(",")}` : null];
  return { trust, description: `the X-Forwarded-For entries appended by the declared proxies (${declared.filter(Boolean).join(", ")})` };
}

/** One spelling per address: `::ffff:1.2.3.4` is 1.2.3.4, IPv6 in its canonical form. */
export function normaliseAddress(addr: string): string | null {
  return ipaddr.isValid(addr) ? ipaddr.process(addr).toString() : null;
}

type RequestLike = Pick<IncomingMessage, "headers" | "socket">;

/** The client address of a request under `trust`, normalised; "unknown" when the socket has none. */
export function clientAddressOf(req: RequestLike, { trust }: ProxyTrust): string {
  if (!req.socket?.remoteAddress) return "unknown";
  const chain = proxyaddr.all(req as IncomingMessage, trust);
  // The walk ends at the first hop that is not a trusted proxy; if what the last proxy wrote there is
  // not an address, the client is that proxy's own peer (the entry before it), never the text.
  for (let i = chain.length - 1; i >= 0; i--) {
    const addr = normaliseAddress(chain[i]!);
    if (addr) return addr;
  }
  return "unknown";
}

/**
 * Sets CLIENT_ADDRESS_HEADER on the request, after removing every copy the client sent (from the
 * parsed headers and the raw list alike), so nothing downstream can see a client-written value.
 */
export function stampClientAddress(req: IncomingMessage, trust: ProxyTrust) {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === CLIENT_ADDRESS_HEADER) raw.splice(i, 2);
  }
  const address = clientAddressOf(req, trust);
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  raw.push(CLIENT_ADDRESS_HEADER, address);
  return address;
}
