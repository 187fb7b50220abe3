/**
 * The app's HTTP server, in place of `next start` / `next dev`: `npm start`, `npm run dev`
 * (`--dev`), the e2e server and the bench all run it (`tsx server.ts [--dev] [--port N] [--hostname H]`).
 *
 * Why: Next's own server fills X-Forwarded-For from the socket only when the client did not send
 * one, and app code never sees the socket, so the app could not tell a client's address from what
 * the client wrote. Here the socket is visible: each request gets the client address (the
 * connection's peer, or what the proxies the operator declared appended: lib/proxy-trust.ts)
 * stamped into an internal header, replacing any copy the client sent, and the app reads only that
 * (lib/request-context.ts), and only in a process this file started (lib/client-address.ts).
 * A TRUSTED_PROXY_HOPS / TRUSTED_PROXIES value it cannot use stops the start with a message.
 */
import http from "node:http";
import { parseArgs } from "node:util";
import { markClientAddressServer } from "./lib/client-address";
import { ProxyTrustSettingError, proxyTrustFromEnv, stampClientAddress, type ProxyTrust } from "./lib/proxy-trust";

const { values } = parseArgs({
  options: { dev: { type: "boolean", default: false }, port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const dev = values.dev!;
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname; // unset: every interface, as `next start`
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port "${values.port ?? process.env.PORT}".`);
  process.exit(1);
}

let trust: ProxyTrust;
try {
  trust = proxyTrustFromEnv();
} catch (e) {
  if (!(e instanceof ProxyTrustSettingError)) throw e;
  console.error(`Not starting: ${e.message}`);
  process.exit(1);
}

// As `next start` / `next dev` do; before Next (and React) load, which pick their build from it.
Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
markClientAddressServer();

const { default: next } = await import("next");
const app = next({ dev, dir: import.meta.dirname, hostname: hostname ?? "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

// (WebSocket upgrades, only dev's hot reload here, are wired by Next itself on the first request.)
const server = http.createServer((req, res) => {
  stampClientAddress(req, trust);
  handle(req, res).catch((err) => {
    // The path only, with anything token-like cut out (reset, invitation and sign-up links carry one).
    const path = (req.url ?? "").split("?")[0]!.replace(/\/[A-Za-z0-9_-]{20,}/g, "/…");
    console.error(`Failed to handle request for ${path}`, err);
    if (!res.headersSent) res.statusCode = 500;
    res.end("Internal Server Error");
  });
});

// Background jobs (lib/jobs, lib/alerts): admin alerts, grace reminders, weekly digests. One runner per
// process; several instances share the work through the jobs table. Not under `next build` (no server.ts).
// JOB_RUNNER=off leaves this instance out (another one must run it); JOB_INTERVAL_SECONDS sets the pace (30).
let jobRunner: { stop: () => void } | undefined;
if (process.env.JOB_RUNNER !== "off") {
  const [{ startJobRunner }, { jobWiring }, { getDb }] = await Promise.all([
    import("./lib/jobs/runner"),
    import("./lib/alerts/wiring"),
    import("./lib/db/client"),
  ]);
  jobRunner = startJobRunner(getDb, jobWiring, { intervalMs: Number(process.env.JOB_INTERVAL_SECONDS ?? 30) * 1000 });
}

server.on("error", (err) => {
  console.error("Failed to start server", err);
  process.exit(1);
});
server.listen(port, hostname, () => {
  console.log(`> Ready on http://${hostname ?? "localhost"}:${port} (${dev ? "development" : "production"})`);
  console.log(`> Client address: ${trust.description}`);
});

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    jobRunner?.stop();
    const exit = () => process.exit(signal === "SIGINT" ? 130 : 143);
    setTimeout(exit, 10_000).unref();
    if (dev) {
      // As `next dev`: drop open connections (hot reload sockets included) at once.
      server.close();
      server.closeAllConnections();
      app.close().finally(exit);
      return;
    }
    // As `next start`: stop accepting, let requests in flight finish (at most 10 s), then close Next.
    server.close(() => app.close().finally(exit));
    server.closeIdleConnections();
  });
}
