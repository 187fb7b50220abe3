/**
 * Login and sign-up requests over raw HTTP from a chosen loopback address. The client address is the connection's
 * peer (server.ts), and every 127.x.y.z is this machine, so each caller can connect from its own address
 * (Node's `localAddress`): a test that spends a per-address budget (password attempts, sign-ups) must not
 * spend it from 127.0.0.1, the address every browser test shares.
 */
import http from "node:http";
import path from "node:path";
import { actionId, actionRequest, replyLayout, type Layout } from "./server-actions";

export const WRONG_PASSWORD = "Incorrect email or password.";
export const LOCKED_OUT = "Too many sign-in attempts";

/** A loopback address no fixed-address test uses (those stay in 127.0.0.x): for one caller's requests. */
export const freshLoopbackAddress = () =>
  `127.${10 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

const ACTIONS = {
  requestSignupAction: { page: "/signup", file: "app/(auth)/signup/page" },
} as const;
type ActionName = keyof typeof ACTIONS;

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export class RawActions {
  private agents = new Map<string, http.Agent>();
  private ids = new Map<ActionName, string>();

  private constructor(
    private readonly port: number,
    private readonly layout: Layout,
    private readonly dist: string,
  ) {}

  /** For the e2e server on `port` (its build is in .next-e2e-<port>, as scripts/e2e-server.sh makes it). */
  static async create(port = Number(process.env.E2E_PORT ?? 3100)) {
    return new RawActions(port, await replyLayout(), path.resolve(import.meta.dirname, "..", "..", `.next-e2e-${port}`));
  }

  /** The login form's password step (its route, app/api/login/password) from `from`; resolves to the response body. */
  async login(from: string, email: string, password: string, headers: Record<string, string> = {}) {
    return (await this.post(from, "/api/login/password", { email, password }, headers)).body;
  }

  /**
   * A JSON POST as the login screens send it (same Origin, JSON content type, both overridable in
   * `headers`) from `from`; resolves to the whole response.
   */
  post(from: string, path: string, body: unknown, headers: Record<string, string> = {}) {
    const origin = `http://localhost:${this.port}`;
    return this.send(from, {
      method: "POST",
      path,
      headers: { "content-type": "application/json", origin, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  /** Any request from `from` (e.g. the JSON API's GET /api/v1/me with a bearer token); resolves to the whole response. */
  request(from: string, method: string, path: string, headers: Record<string, string> = {}, body = "") {
    return this.send(from, { method, path, headers, body });
  }

  /** The sign-up form from `from`; resolves to the response body. */
  signup(from: string, form: { org: string; name: string; email: string; password: string }) {
    return this.call(from, "requestSignupAction", { organization: form.org, name: form.name, email: form.email, password: form.password });
  }

  /** What a password step answered: the generic failure, the lockout, or (for a failing test's message) its start. */
  static outcome(body: string) {
    return body.includes(LOCKED_OUT) ? "refused" : body.includes(WRONG_PASSWORD) ? "wrong" : body.slice(0, 200);
  }

  close() {
    this.agents.forEach((a) => a.destroy());
  }

  private async call(from: string, name: ActionName, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const { page, file } = ACTIONS[name];
    if (!this.ids.has(name)) this.ids.set(name, actionId(this.dist, name, file));
    return (await this.send(from, actionRequest(this.layout, this.ids.get(name)!, page, fields, headers, `http://localhost:${this.port}`)))
      .body;
  }

  private send(from: string, req: { method: string; path: string; headers: Record<string, string>; body: string | Buffer }) {
    if (!this.agents.has(from)) this.agents.set(from, new http.Agent({ keepAlive: true, maxSockets: 1 }));
    return new Promise<RawResponse>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port: this.port,
          localAddress: from,
          agent: this.agents.get(from),
          method: req.method,
          path: req.path,
          headers: { ...req.headers, host: `localhost:${this.port}` },
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (d) => (body += d));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        },
      );
      request.on("error", reject);
      request.end(req.body);
    });
  }
}
