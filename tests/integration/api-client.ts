/**
 * Calls the JSON API's route handlers directly with `new Request(...)` (HTTP adds nothing here; e2e/api.spec.ts
 * goes over real HTTP). The client address comes from the Request as in production: this file plays
 * server.ts (markClientAddressServer) and stamps the internal header, one address per call unless given.
 */
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import * as rest from "@/app/api/v1/[...rest]/route";
import * as login from "@/app/api/v1/auth/login/route";
import * as logout from "@/app/api/v1/auth/logout/route";
import * as mfaEmail from "@/app/api/v1/auth/mfa/email/route";
import * as mfa from "@/app/api/v1/auth/mfa/route";
import * as refresh from "@/app/api/v1/auth/refresh/route";
import * as me from "@/app/api/v1/me/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { problemSchema } from "@/lib/api/schemas";
import { CLIENT_ADDRESS_HEADER, markClientAddressServer } from "@/lib/client-address";
import { getDb } from "@/lib/db/client";
import { devMail, mfaFactors, type organizations, type users } from "@/lib/db/schema";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { currentTotp } from "@/lib/mfa/totp";
import { meta } from "./factories";

markClientAddressServer();

export const ROUTES = {
  "/api/v1/auth/login": login,
  "/api/v1/auth/mfa": mfa,
  "/api/v1/auth/mfa/email": mfaEmail,
  "/api/v1/auth/refresh": refresh,
  "/api/v1/auth/logout": logout,
  "/api/v1/me": me,
  "/api/v1/openapi.json": openapi,
} as const;

export type ApiPath = keyof typeof ROUTES;
export const CLIENT = { name: "Guardian CLI", kind: "cli" } as const;
export const freshAddress = () => `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}`;

export type ApiAnswer = { status: number; headers: Headers; body: Record<string, unknown> & { code?: string } };

export async function api(
  path: ApiPath | string,
  options: { method?: string; body?: unknown; token?: string; ip?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const method = options.method ?? (options.body === undefined && path === "/api/v1/me" ? "GET" : "POST");
  const headers: Record<string, string> = { [CLIENT_ADDRESS_HEADER]: options.ip ?? freshAddress(), "user-agent": "guardian-cli/1.0" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const request = new Request(`http://localhost:3000${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  type Handlers = Record<string, ((r: Request) => Response | Promise<Response>) | undefined>;
  const handlers = ((ROUTES as Record<string, unknown>)[path] ?? rest) as Handlers;
  const handler = handlers[method];
  if (!handler) throw new Error(`${method} ${path} has no handler`);
  const response = await handler(request);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** A problem+json answer with this code (and status), with no stack trace or echo of secrets. */
export function expectProblem(answer: ApiAnswer, code: string, status: number) {
  expect(answer.body, JSON.stringify(answer.body)).toMatchObject({ code, status, type: `urn:guardian:problem:${code}` });
  problemSchema.parse(answer.body); // the shape the OpenAPI document gives
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat \w+ \(|stack|correct horse/i);
  expect(answer.headers.get("set-cookie")).toBeNull();
  expect(answer.headers.get("access-control-allow-origin")).toBeNull();
}

export const loginBody = (email: string, password: string, client: object = CLIENT) => ({ email, password, client });

/** The authenticator code now, from oathtool (`offset` seconds ahead), as the CLI's user would type it. */
export function oathtool(secret: string, offset = 0) {
  const args = ["--totp", "-b", ...(offset ? ["-N", `now + ${offset} seconds`] : []), secret];
  return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
}

type User = typeof users.$inferSelect;
type Org = typeof organizations.$inferSelect;

/** Gives the user a confirmed authenticator (enrolled with the previous step's code, so oathtool's current code is fresh). */
export async function withApp(user: User, org: Org) {
  const db = await getDb();
  const actor = { ...user, org };
  const started = await startTotpEnrolment(db, actor);
  const code = await currentTotp(started.secret, Math.floor(Date.now() / 1000) - 30);
  const { recoveryCodes } = await confirmTotpEnrolment(db, actor, { factorId: started.factorId, name: "Phone", code }, meta);
  return { secret: started.secret, recoveryCodes: recoveryCodes ?? [] };
}

export async function addEmailFactor(user: { id: string; orgId: string }) {
  await (
    await getDb()
  )
    .insert(mfaFactors)
    .values({ userId: user.id, orgId: user.orgId, type: "email", name: "Email", confirmedAt: new Date() });
}

/** The six-digit code of the newest dev-mailbox message to this address. */
export async function latestEmailCode(to: string) {
  const db = await getDb();
  const [mail] = await db
    .select()
    .from(devMail)
    .where(and(eq(devMail.to, to)))
    .orderBy(desc(devMail.id))
    .limit(1);
  return /^\s*(\d{6})\s*$/m.exec(mail?.text ?? "")?.[1] ?? null;
}

/** Signs in through the API with the authenticator: the token pair. */
export async function tokensWithApp(email: string, password: string, secret: string, offset = 0) {
  const started = await api("/api/v1/auth/login", { body: loginBody(email, password) });
  expect(started.body).toMatchObject({ next: "mfa" });
  const done = await api("/api/v1/auth/mfa", {
    body: { challenge: started.body.challenge, method: "totp", code: oathtool(secret, offset) },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body as { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number };
}
