/**
 * `npm run api-login -- <email> [--keep]`: signs in through the JSON API (/api/v1) as an app would, and
 * prints GET /api/v1/me. Asks for the password and the second factor on the terminal, or reads them from
 * API_PASSWORD and API_CODE (API_METHOD: totp, email, recovery or temp_code; by default an authenticator
 * code, or a recovery code when it is not six digits, or an emailed code when that is the only method).
 * API_BASE_URL (default http://localhost:3000) names the server. The session is signed out at the end
 * unless --keep is given (it is then listed in Security › Sessions as "Guardian CLI · command line").
 * Tokens are never printed.
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

const base = (process.env.API_BASE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const args = process.argv.slice(2);
const email = args.find((a) => !a.startsWith("--"));
const keep = args.includes("--keep");

type Answer = { status: number; body: Record<string, unknown> };

async function call(path: string, body?: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = { "user-agent": "guardian-api-login/1" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, {
    method: body === undefined && !path.endsWith("/logout") ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A problem+json answer ends the command with its code and sentence (never a stack). */
function orFail(answer: Answer, ok = 200): Answer {
  if (answer.status === ok) return answer;
  const { code, detail, retryAfter } = answer.body;
  console.error(
    `${String(code ?? answer.status)}: ${String(detail ?? "unexpected answer")}${retryAfter ? ` (retry after ${retryAfter} s)` : ""}`,
  );
  if (typeof answer.body.enrolUrl === "string") console.error(`Finish in your browser: ${answer.body.enrolUrl || "/login/setup"}`);
  process.exit(1);
}

async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  const pending = rl.question(question);
  muted = hidden;
  const value = await pending;
  rl.close();
  if (hidden) process.stdout.write("\n");
  return value.trim();
}

async function secondFactor(challenge: string, methods: string[]) {
  let method = process.env.API_METHOD;
  let code = process.env.API_CODE;
  if (!method && methods.length === 1 && methods[0] === "email") method = "email";
  if (method === "email") {
    const sent = orFail(await call("/api/v1/auth/mfa/email", { challenge })).body;
    console.log(`A code was emailed to ${String(sent.maskedEmail)}.`);
  }
  code ??= await ask(method === "email" ? "Code from the email: " : `Code (${methods.join(", ")}): `);
  method ??= /^\d{3}[\s-]?\d{3}$/.test(code) && methods.includes("totp") ? "totp" : "recovery";
  return orFail(await call("/api/v1/auth/mfa", { challenge, method, code })).body;
}

async function main() {
  if (!email) {
    console.error("Usage: npm run api-login -- <email> [--keep]   (API_PASSWORD, API_CODE, API_METHOD, API_BASE_URL)");
    process.exit(2);
  }
  const password = process.env.API_PASSWORD ?? (await ask("Password: ", true));
  const client = { name: "Guardian CLI", kind: "cli" };
  const login = orFail(await call("/api/v1/auth/login", { email, password, client })).body;
  const tokens = login.next === "mfa" ? await secondFactor(String(login.challenge), login.methods as string[]) : login;
  const accessToken = String(tokens.accessToken);
  const me = orFail(await call("/api/v1/me", undefined, accessToken)).body;
  console.log(JSON.stringify(me, null, 2));
  if (!keep) orFail(await call("/api/v1/auth/logout", undefined, accessToken), 204);
}

main().catch((error: unknown) => {
  console.error(`api-login: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
