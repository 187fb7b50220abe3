/**
 * The login form's password step over raw HTTP from a chosen loopback address. Every 127.x.y.z is this
 * machine, so each caller can connect from its own peer address (Node's `localAddress`): a test that
 * burns a per-address budget must not do it from 127.0.0.1, the address every browser test shares.
 */
import http from "node:http";
import path from "node:path";
import { actionId, actionRequest, replyLayout, type Layout } from "./server-actions";

export const WRONG_PASSWORD = "Incorrect email or password.";
export const LOCKED_OUT = "Too many sign-in attempts";

export class RawLogin {
  private agents = new Map<string, http.Agent>();

  private constructor(
    private readonly port: number,
    private readonly layout: Layout,
    private readonly submitPasswordId: string,
  ) {}

  /** For the e2e server on `port` (its build is in .next-e2e-<port>, as scripts/e2e-server.sh makes it). */
  static async create(port = Number(process.env.E2E_PORT ?? 3100)) {
    const dist = path.resolve(import.meta.dirname, "..", "..", `.next-e2e-${port}`);
    return new RawLogin(port, await replyLayout(), actionId(dist, "submitPassword", "app/(auth)/login/page"));
  }

  /** One password step from local address `from` (one kept-alive connection per address); resolves to the body. */
  submit(from: string, email: string, password: string, headers: Record<string, string> = {}) {
    const origin = `http://localhost:${this.port}`;
    const req = actionRequest(this.layout, this.submitPasswordId, "/login", { email, password }, headers, origin);
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

  /** What an answer says: the generic failure, the lockout, or (for a failing test's message) its start. */
  static outcome(body: string) {
    return body.includes(LOCKED_OUT) ? "refused" : body.includes(WRONG_PASSWORD) ? "wrong" : body.slice(0, 200);
  }

  close() {
    this.agents.forEach((a) => a.destroy());
  }
}
