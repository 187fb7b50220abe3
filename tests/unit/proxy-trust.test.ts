/**
 * The client address (S35): the connection's peer unless the operator declared proxies
 * (TRUSTED_PROXY_HOPS, TRUSTED_PROXIES), normalised; unusable settings refused at start-up; the
 * internal header that carries it cannot be written by a client (real HTTP, real sockets).
 */
import { spawnSync } from "node:child_process";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER } from "@/lib/client-address";
import { ProxyTrustSettingError, clientAddressOf, proxyTrustFromEnv, stampClientAddress, type ProxyTrust } from "@/lib/proxy-trust";

/** A request as proxy-addr sees it: the socket's peer and the X-Forwarded-For header. */
const req = (peer: string | undefined, xff?: string) =>
  ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { "x-forwarded-for": xff } }) as unknown as http.IncomingMessage;
const address = (env: Record<string, string | undefined>, peer: string | undefined, xff?: string) =>
  clientAddressOf(req(peer, xff), proxyTrustFromEnv(env));

describe("trust settings", () => {
  it("with nothing set, TRUSTED_PROXY_HOPS=0 or empty values, the client is the peer whatever X-Forwarded-For says", () => {
    for (const env of [
      {},
      { TRUSTED_PROXY_HOPS: "0" },
      { TRUSTED_PROXY_HOPS: "" },
      { TRUSTED_PROXIES: " " },
      { TRUSTED_PROXY_HOPS: "0", TRUSTED_PROXIES: "" },
    ]) {
      expect(address(env, "::ffff:192.0.2.10", "198.51.100.7, 203.0.113.5"), JSON.stringify(env)).toBe("192.0.2.10");
      expect(address(env, "192.0.2.10", "127.0.0.1"), JSON.stringify(env)).toBe("192.0.2.10");
      expect(address(env, "192.0.2.10")).toBe("192.0.2.10");
    }
    expect(proxyTrustFromEnv({}).description).toContain("X-Forwarded-For is ignored");
  });

  it("TRUSTED_PROXY_HOPS=N takes the address the N-th proxy saw; entries a client wrote further left are ignored", () => {
    const xff = "1.1.1.1, 198.51.100.7, 203.0.113.5";
    expect(address({ TRUSTED_PROXY_HOPS: "1" }, "10.0.0.2", xff)).toBe("203.0.113.5");
    expect(address({ TRUSTED_PROXY_HOPS: "2" }, "10.0.0.2", xff)).toBe("198.51.100.7");
    expect(address({ TRUSTED_PROXY_HOPS: " 2 " }, "10.0.0.2", xff)).toBe("198.51.100.7");
    // Fewer entries than hops: the leftmost (the request came through fewer proxies).
    expect(address({ TRUSTED_PROXY_HOPS: "3" }, "10.0.0.2", "203.0.113.5")).toBe("203.0.113.5");
    // No header at all: the peer.
    expect(address({ TRUSTED_PROXY_HOPS: "1" }, "10.0.0.2")).toBe("10.0.0.2");
  });

  it("TRUSTED_PROXIES trusts only listed hops: a client that connects directly is its own address", () => {
    const env = { TRUSTED_PROXIES: "10.0.0.0/8, fd00::/8" };
    expect(address(env, "10.0.0.2", "198.51.100.7, 203.0.113.5")).toBe("203.0.113.5");
    // Two listed proxies in a row are both walked past.
    expect(address(env, "10.0.0.2", "198.51.100.7, 203.0.113.5, 10.9.9.9")).toBe("203.0.113.5");
    expect(address(env, "fd00::2", "203.0.113.5")).toBe("203.0.113.5");
    expect(address(env, "203.0.113.66", "10.0.0.1")).toBe("203.0.113.66");
    // Names and the IPv4-mapped form of a listed address.
    expect(address({ TRUSTED_PROXIES: "loopback" }, "::ffff:127.0.0.1", "203.0.113.5")).toBe("203.0.113.5");
    expect(address({ TRUSTED_PROXIES: "loopback" }, "::1", "2001:db8::7")).toBe("2001:db8::7");
    expect(address({ TRUSTED_PROXIES: "192.0.2.1" }, "192.0.2.2", "203.0.113.5")).toBe("192.0.2.2");
  });

  it("with both, a hop must be within the first N and listed", () => {
    const env = { TRUSTED_PROXY_HOPS: "1", TRUSTED_PROXIES: "loopback, 10.0.0.0/8" };
    expect(address(env, "127.0.0.1", "203.0.113.5, 10.0.0.1")).toBe("10.0.0.1");
    expect(address(env, "192.0.2.50", "203.0.113.5")).toBe("192.0.2.50");
    expect(address({ TRUSTED_PROXY_HOPS: "2", TRUSTED_PROXIES: "loopback, 10.0.0.0/8" }, "127.0.0.1", "203.0.113.5, 10.0.0.1")).toBe(
      "203.0.113.5",
    );
  });

  it("normalises addresses, so one client is one key; text a proxy passed on is never the address", () => {
    expect(address({}, "::ffff:127.0.0.24")).toBe("127.0.0.24");
    expect(address({}, "2001:DB8:0:0::1")).toBe("2001:db8::1");
    expect(address({ TRUSTED_PROXY_HOPS: "1" }, "10.0.0.2", "::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(address({ TRUSTED_PROXY_HOPS: "1" }, "10.0.0.2", "<script>")).toBe("10.0.0.2");
    expect(address({ TRUSTED_PROXY_HOPS: "2" }, "10.0.0.2", "203.0.113.5, not-an-ip")).toBe("10.0.0.2");
    expect(address({}, undefined)).toBe("unknown");
  });

  it("refuses settings it cannot use, naming the variable", () => {
    for (const hops of ["abc", "-1", "1.5", "11", "1e1", "one"]) {
      expect(() => proxyTrustFromEnv({ TRUSTED_PROXY_HOPS: hops }), hops).toThrow(ProxyTrustSettingError);
      expect(() => proxyTrustFromEnv({ TRUSTED_PROXY_HOPS: hops }), hops).toThrow(/TRUSTED_PROXY_HOPS must be a whole number from 0 to 10/);
    }
    for (const list of ["not-an-ip", "10.0.0.0/33", "0.0.0.0/0", "10.0.0.1, 300.1.1.1", "10.0.0.0/x"]) {
      expect(() => proxyTrustFromEnv({ TRUSTED_PROXIES: list }), list).toThrow(/^TRUSTED_PROXIES: ".+" is not an IP address, a CIDR range/);
    }
    expect(() => proxyTrustFromEnv({ TRUSTED_PROXY_HOPS: "0", TRUSTED_PROXIES: "10.0.0.1" })).toThrow(
      /TRUSTED_PROXY_HOPS=0 says there is no proxy/,
    );
  });

  it("server.ts does not start with an unusable setting, and says why", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const run = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server.ts", "--port", "0"], {
      cwd: root,
      env: { ...process.env, TRUSTED_PROXY_HOPS: "two" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Not starting: TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (the number of reverse proxies in front of the app; 0 or unset: none), not "two".',
    );
    expect(run.stdout).not.toContain("Ready");
  }, 60_000);
});

describe("the internal client-address header over real HTTP", () => {
  let server: http.Server;
  let port: number;
  let trust: ProxyTrust;
  beforeAll(async () => {
    // What the app behind server.ts would see: the stamped header, parsed and raw.
    server = http.createServer((request, response) => {
      stampClientAddress(request, trust);
      const raw = request.rawHeaders.filter((_, i) => i % 2 === 0 && request.rawHeaders[i]!.toLowerCase() === CLIENT_ADDRESS_HEADER).length;
      response.end(JSON.stringify({ header: request.headers[CLIENT_ADDRESS_HEADER], raw }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A raw HTTP/1.1 request from `from` (any 127.x.y.z is this machine), header lines exactly as given. */
  const send = (from: string, headers: [string, string][]) =>
    new Promise<{ header: string; raw: number }>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, localAddress: from });
      let reply = "";
      socket.on("data", (d) => (reply += d));
      socket.on("end", () => resolve(JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4))));
      socket.on("error", reject);
      const lines = ["GET / HTTP/1.1", "Host: localhost", "Connection: close", ...headers.map(([k, v]) => `${k}: ${v}`)];
      socket.end(lines.join("\r\n") + "\r\n\r\n");
    });

  const forged: [string, string][] = [
    [CLIENT_ADDRESS_HEADER, "203.0.113.99"],
    ["X-Guardian-Client-Address", "203.0.113.98"],
    ["x-forwarded-for", "198.51.100.1"],
    ["x-real-ip", "198.51.100.2"],
  ];

  it("replaces every copy a client sends with the peer address when no proxy is declared", async () => {
    trust = proxyTrustFromEnv({});
    expect(await send("127.0.0.23", forged)).toEqual({ header: "127.0.0.23", raw: 1 });
    expect(await send("127.0.0.24", [])).toEqual({ header: "127.0.0.24", raw: 1 });
  });

  it("uses X-Forwarded-For only from a declared proxy, and still ignores a forged internal header", async () => {
    trust = proxyTrustFromEnv({ TRUSTED_PROXIES: "127.0.0.23" });
    expect(await send("127.0.0.23", forged)).toEqual({ header: "198.51.100.1", raw: 1 });
    expect(await send("127.0.0.25", forged)).toEqual({ header: "127.0.0.25", raw: 1 });
  });
});

describe("per-address limits count an IPv6 client by its /64", () => {
  it("keys an IPv4 address whole, an IPv4-mapped one as IPv4, and every address of one IPv6 /64 alike", async () => {
    const { addressKey, keys } = await import("@/lib/attempts");
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
    expect(keys.passwordIp("2001:db8:1:2:dead:beef::9")).toBe("pw-ip:2001:db8:1:2::/64");
    expect(addressKey("unknown")).toBe("unknown");
  });
});
