/**
 * How the app server (server.ts) hands the client address to the app. Next's request handler never
 * sees the socket from app code, so server.ts works the address out from the connection (and the
 * proxies the operator declared: lib/proxy-trust.ts) and writes it into this request header, after
 * deleting any copy the client sent. The app believes the header only when this process was started
 * by server.ts, which sets a process-wide marker before Next loads: a client cannot set that, and
 * neither can an environment variable (plain `next start` leaves it unset and every address is
 * "unknown"). No dependencies: lib/request-context.ts imports it into the app bundle.
 */
export const CLIENT_ADDRESS_HEADER = "x-guardian-client-address";

const MARKER = Symbol.for("guardian.client-address-server");

/** Called once by server.ts before Next loads: this process stamps CLIENT_ADDRESS_HEADER itself. */
export function markClientAddressServer() {
  (globalThis as Record<symbol, unknown>)[MARKER] = true;
}

/** True when server.ts runs this process, so CLIENT_ADDRESS_HEADER was set by it and not by a client. */
export function behindClientAddressServer() {
  return (globalThis as Record<symbol, unknown>)[MARKER] === true;
}
