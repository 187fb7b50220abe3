/**
 * The one wrapper of the JSON API's route handlers (app/api/v1/*). Everything comes from the Request:
 * the JSON body (POST: `Content-Type: application/json` only, at most 10 kB, which also means a page on
 * another site cannot send one without a CORS preflight, and none is ever granted), the client address
 * (`apiMeta`, the same rule as the web's lib/request-context.ts) and, with `auth`, the bearer access
 * token. No cookie is read or set. Input is parsed with the route's zod schema; every failure is a
 * problem+json answer (lib/api/problem.ts); success is JSON with `Cache-Control: no-store`.
 */
import type { z } from "zod";
import { getDb, type Db } from "@/lib/db/client";
import { metaFromHeaders, type RequestMeta } from "@/lib/request-context";
import { parseInput } from "@/lib/validation";
import { ApiProblem, problemResponse, toProblem } from "./problem";
import { authenticate, type ApiPrincipal } from "./tokens";

export const MAX_BODY_BYTES = 10_000;

/** Who is asking, from the Request itself (route handlers and tests alike; no next/headers). */
export const apiMeta = (request: Request): RequestMeta => metaFromHeaders(request.headers);

export type ApiContext = { db: Db; meta: RequestMeta; request: Request };
export type AuthedContext = ApiContext & { principal: ApiPrincipal };

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store", pragma: "no-cache" } });

async function readJson(request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!/^application\/json\s*(;|$)/.test(type))
    throw new ApiProblem("unsupported_media_type", "Send a JSON body with Content-Type: application/json.");
  const text = await request.text().catch(() => "");
  if (text.length > MAX_BODY_BYTES) throw new ApiProblem("validation", "The body is too large.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiProblem("validation", "The body is not valid JSON.");
  }
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const { data, fieldErrors } = parseInput(schema, raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {});
  if (fieldErrors) throw new ApiProblem("validation", "Please correct the fields listed in `errors`.", { errors: fieldErrors });
  return data as z.output<S>;
}

/** The principal behind `Authorization: Bearer <access token>`; one who must enrol first gets only what allows it. */
async function principalOf(db: Db, request: Request, allowMustEnrol: boolean) {
  const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new ApiProblem("invalid_token", "Send the access token: Authorization: Bearer <token>.");
  const principal = await authenticate(db, match[1]!);
  if (principal.mustEnrol && !allowMustEnrol) {
    throw new ApiProblem("enrolment_required", "Your organisation requires two-factor authentication. Set it up in your browser first.");
  }
  return principal;
}

async function answer(request: Request, run: () => Promise<unknown>): Promise<Response> {
  try {
    const body = await run();
    return body instanceof Response ? body : json(body);
  } catch (error) {
    return problemResponse(toProblem(error), new URL(request.url).pathname);
  }
}

/** A POST anyone may call: JSON body parsed by `schema`. */
export function publicApi<S extends z.ZodType>(schema: S, handler: (input: z.output<S>, ctx: ApiContext) => Promise<unknown>) {
  return (request: Request) =>
    answer(request, async () => {
      const raw = await readJson(request);
      const input = parse(schema, raw);
      return handler(input, { db: await getDb(), meta: apiMeta(request), request });
    });
}

/** A request with a bearer access token (GET: no body; POST: a JSON body parsed by `schema`). */
export function authedApi<S extends z.ZodType>(
  schema: S | null,
  handler: (input: z.output<S>, ctx: AuthedContext) => Promise<unknown>,
  options: { allowMustEnrol?: boolean } = {},
) {
  return (request: Request) =>
    answer(request, async () => {
      const db = await getDb();
      const principal = await principalOf(db, request, options.allowMustEnrol ?? false);
      const input = schema ? parse(schema, await readJson(request)) : (undefined as z.output<S>);
      return handler(input, { db, meta: apiMeta(request), request, principal });
    });
}

/** Anything else under /api/v1: a problem, not the web's HTML 404. */
export const notFoundApi = (request: Request) =>
  answer(request, async () => {
    throw new ApiProblem("not_found", "There is no such endpoint. The API is described at /api/v1/openapi.json.");
  });
