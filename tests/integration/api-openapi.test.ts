/**
 * The OpenAPI document (GET /api/v1/openapi.json) matches the API: every route file is documented with
 * its methods and nothing else is, and the documented request schemas agree with what the routes accept
 * (read back from the served JSON with z.fromJSONSchema and compared with the routes' answers).
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { API_OPERATIONS } from "@/lib/api/openapi";
import { PROBLEMS } from "@/lib/api/problem";
import { ROUTES, api, type ApiPath } from "./api-client";
import { uniqueEmail } from "./factories";

const V1 = path.resolve(import.meta.dirname, "../../app/api/v1");

function routeFiles(dir = V1): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name.startsWith("[") ? [] : routeFiles(full);
    return name === "route.ts" ? [`/api/v1${path.relative(V1, dir) ? `/${path.relative(V1, dir)}` : ""}`] : [];
  });
}

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: object }> } }>> };

async function servedDocument() {
  const answer = await api("/api/v1/openapi.json", { method: "GET" });
  expect(answer.status).toBe(200);
  return answer.body as unknown as Doc;
}

/** Bodies the routes should accept (by shape), and bodies that break the documented shape. */
const SAMPLES: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  "/api/v1/auth/login": {
    valid: [{ email: uniqueEmail("oa"), password: "whatever it is", client: { name: "Guardian for Chrome", kind: "extension" } }],
    invalid: [
      { email: uniqueEmail("oa"), password: "x" },
      { email: uniqueEmail("oa"), password: "x", client: { name: "A", kind: "desktop" } },
      { email: uniqueEmail("oa"), password: 12, client: { name: "A", kind: "cli" } },
      { password: "x", client: { name: "A", kind: "cli" } },
      { email: uniqueEmail("oa"), password: "x".repeat(129), client: { name: "A", kind: "cli" } },
    ],
  },
  "/api/v1/auth/mfa": {
    valid: [
      { challenge: "c", method: "totp", code: "123456" },
      { challenge: "c", method: "email", code: "123 456" },
      { challenge: "c", method: "recovery", code: "abcd-efgh-ijkl" },
      { challenge: "c", method: "temp_code", code: "K336-8E8S-4RYC" },
    ],
    invalid: [
      { challenge: "c", method: "sms", code: "123456" },
      { challenge: "c", code: "123456" },
      { method: "totp", code: "123456" },
      { challenge: "c", method: "totp" },
      { challenge: "x".repeat(201), method: "totp", code: "123456" },
    ],
  },
  "/api/v1/auth/mfa/email": { valid: [{ challenge: "c" }], invalid: [{}, { challenge: 5 }, { challenge: "" }] },
  "/api/v1/auth/refresh": { valid: [{ refreshToken: "grt_x" }], invalid: [{}, { refreshToken: "" }, { refreshToken: ["a"] }] },
};

const acceptedByRoute = (answer: { status: number; body: { code?: string } }) =>
  answer.body.code !== "validation" && answer.body.code !== "unsupported_media_type";

describe("OpenAPI 3.1 at /api/v1/openapi.json", () => {
  it("documents every route file under app/api/v1 with the methods it exports, and nothing else", async () => {
    const doc = await servedDocument();
    expect(doc.openapi).toBe("3.1.0");
    const files = routeFiles().sort();
    expect(Object.keys(doc.paths).sort()).toEqual(files);
    for (const file of files) {
      const exported = Object.keys(ROUTES[file as ApiPath]).filter((k) => /^[A-Z]+$/.test(k));
      expect(
        Object.keys(doc.paths[file]!).map((m) => m.toUpperCase()),
        file,
      ).toEqual(exported);
    }
    for (const op of API_OPERATIONS) for (const code of op.problems) expect(PROBLEMS).toHaveProperty(code);
  });

  it("the documented request bodies accept what the routes accept and refuse what breaks their shape", async () => {
    const doc = await servedDocument();
    for (const [route, samples] of Object.entries(SAMPLES)) {
      const schema = doc.paths[route]!.post!.requestBody!.content["application/json"]!.schema;
      const documented = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
      for (const body of samples.valid) {
        expect(documented.safeParse(body).success, `${route} documented: ${JSON.stringify(body)}`).toBe(true);
        expect(acceptedByRoute(await api(route, { body })), `${route} accepted: ${JSON.stringify(body)}`).toBe(true);
      }
      for (const body of samples.invalid) {
        expect(documented.safeParse(body).success, `${route} documented: ${JSON.stringify(body)}`).toBe(false);
        const answer = await api(route, { body });
        expect(answer.body.code, `${route} refused: ${JSON.stringify(body)}`).toBe("validation");
      }
    }
  });

  it("routes without a body are documented without one; bearer routes declare the bearer scheme", async () => {
    const doc = await servedDocument();
    const raw = doc as unknown as { paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown }>> };
    expect(raw.paths["/api/v1/me"]!.get).toMatchObject({ security: [{ bearer: [] }] });
    expect(raw.paths["/api/v1/auth/logout"]!.post).toMatchObject({ security: [{ bearer: [] }] });
    expect(raw.paths["/api/v1/auth/logout"]!.post!.requestBody).toBeUndefined();
    expect(raw.paths["/api/v1/auth/login"]!.post!.security).toBeUndefined();
  });
});
