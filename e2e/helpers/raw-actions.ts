/**
 * Server actions over raw HTTP from a chosen loopback address. The client address is the connection's
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
  submitPassword: { page: "/login", file: "app/(auth)/login/page" },
  requestSignupAction: { page: "/signup", file: "app/(auth)/signup/page" },
} as const;
type ActionName = keyof typeof ACTIONS;

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

  /** The login form's password step from `from`; resolves to the response body. */
  login(from: string, email: string, password: string, headers: Record<string, string> = {}) {
    return this.call(from, "submitPassword", { email, password }, headers);
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

  private call(from: string, name: ActionName, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const { page, file } = ACTIONS[name];
    if (!this.ids.has(name)) this.ids.set(name, actionId(this.dist, name, file));
    const req = actionRequest(this.layout, this.ids.get(name)!, page, fields, headers, `http://localhost:${this.port}`);
    if (!this.agents.has(from)) this.agents.set(from, new http.Agent({ keepAlive: true, maxSockets: 1 }));
    return new Promise<string>((resolve, reject) => {
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
          response.on("end", () => resolve(body));
        },
      );
      request.on("error", reject);
      request.end(req.body);
    });
  }
}
