/**
 * The one wrapper every server action goes through. It validates the input with zod, loads the user
 * and organisation (validated against the database), checks the role, and turns every failure into a
 * typed result: field errors for forms, a safe message otherwise. It never echoes a password, code or
 * secret back: only harmless fields are returned so the form can keep what the user typed.
 */
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { configuredBaseUrl } from "@/lib/app-url";
import { findChallenge, type LiveChallenge } from "@/lib/auth/challenge";
import { readChallengeToken } from "@/lib/auth/challenge-cookie";
import { getCurrentUser } from "@/lib/auth/current-user";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb, isDatabaseUnavailable } from "@/lib/db/client";
import type { Role } from "@/lib/db/schema";
import { AppError, ERROR_STATUS, UNAVAILABLE_MESSAGE, type ErrorCode } from "@/lib/errors";
import { requestMeta, type RequestMeta } from "@/lib/request-context";
import { parseInput, type FieldErrors } from "@/lib/validation";

export { UNAVAILABLE_MESSAGE };

export type { FieldErrors };

export type ActionState<T = undefined> = {
  ok?: boolean;
  message?: string;
  /** What to show when `ok` is false; screens branch on `code`, never on this text. */
  error?: string;
  code?: ErrorCode;
  /** With some refusals ("ask again in 30 seconds"): when the screen may offer the action again. */
  retryAfterSeconds?: number;
  fieldErrors?: FieldErrors;
  /** Non-secret fields as submitted, so a form can show them again after an error. */
  values?: Record<string, string>;
  data?: T;
};

const SECRET_FIELD = /pass|code|token|secret|otp|key/i;

function toObject(input: unknown): Record<string, unknown> {
  if (input instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of input.entries()) {
      if (k.startsWith("$ACTION")) continue;
      out[k] = typeof v === "string" ? v : undefined;
    }
    return out;
  }
  return input && typeof input === "object" ? (input as Record<string, unknown>) : {};
}

function safeValues(raw: Record<string, unknown>) {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" && !SECRET_FIELD.test(k) && v.length <= 300) values[k] = v;
  }
  return values;
}

type Handler<S extends z.ZodType, C, T> = (input: z.output<S>, ctx: C) => Promise<ActionState<T> | void>;

async function run<T>(raw: Record<string, unknown>, body: () => Promise<ActionState<T> | void>): Promise<ActionState<T>> {
  try {
    return (await body()) ?? { ok: true };
  } catch (error) {
    unstable_rethrow(error); // redirect() and notFound() pass through
    const values = safeValues(raw);
    if (error instanceof AppError) {
      // With field errors the message is shown beside the field; the form only points at it.
      const message = error.fieldErrors ? "Please correct the highlighted fields." : error.message;
      const retry = error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {};
      return { ok: false, code: error.code, error: message, ...retry, fieldErrors: error.fieldErrors, values };
    }
    if (isDatabaseUnavailable(error)) {
      console.error("[action] database unavailable");
      return { ok: false, code: "unavailable", error: UNAVAILABLE_MESSAGE, values };
    }
    // Log the kind of failure only: messages from the database may quote parameters.
    const e = error as Error;
    console.error(
      `[action] unexpected ${e?.name ?? "error"}: ${String(e?.message ?? "")
        .split("\n")[0]
        ?.slice(0, 200)}`,
    );
    return { ok: false, code: "internal", error: "Something went wrong. Please try again.", values };
  }
}

function parse<S extends z.ZodType>(schema: S, raw: Record<string, unknown>) {
  const { data, fieldErrors } = parseInput(schema, raw);
  if (!fieldErrors) return { data: data as z.output<S> };
  return {
    state: {
      ok: false,
      code: "validation",
      error: "Please correct the highlighted fields.",
      fieldErrors,
      values: safeValues(raw),
    } satisfies ActionState<never>,
  };
}

/** An action anyone may call (login, sign-up). */
export function publicAction<S extends z.ZodType, T = undefined>(schema: S, handler: Handler<S, { meta: RequestMeta }, T>) {
  return async (_prev: ActionState<T> | undefined, input: unknown): Promise<ActionState<T>> => {
    const raw = toObject(input);
    return run(raw, async () => {
      const parsed = parse(schema, raw);
      if (parsed.state) return parsed.state;
      return handler(parsed.data, { meta: await requestMeta() });
    });
  };
}

export type UserContext = { user: CurrentUser; meta: RequestMeta };
export const ENROL_FIRST_MESSAGE = "Set up two-factor authentication first: your administrator requires it.";

/** An action for a signed-in user (optionally of a given role), authorised here, inside the action. */
export function userAction<S extends z.ZodType, T = undefined>(
  schema: S,
  handler: Handler<S, UserContext, T>,
  /** `enrolment`: allowed for a user who must still set up 2FA (S31); every other action is refused to them. */
  options: { role?: Role; enrolment?: boolean } = {},
) {
  return async (_prev: ActionState<T> | undefined, input: unknown): Promise<ActionState<T>> => {
    const raw = toObject(input);
    return run(raw, async () => {
      const user = await getCurrentUser();
      if (!user) return { ok: false, code: "session_ended", error: "Your session has ended. Please sign in again." };
      if (user.mustEnrol && !options.enrolment) return { ok: false, code: "enrol_first", error: ENROL_FIRST_MESSAGE };
      if (options.role && user.role !== options.role)
        return { ok: false, code: "forbidden", error: "You do not have permission to do that." };
      const parsed = parse(schema, raw);
      if (parsed.state) return parsed.state;
      return handler(parsed.data, { user, meta: await requestMeta() });
    });
  };
}

export type ChallengeContext = { challenge: LiveChallenge; meta: RequestMeta };
export const CHALLENGE_EXPIRED_MESSAGE = "Your sign-in has expired. Please sign in again.";

/**
 * An action inside a login in progress (second factor, forced enrolment). The user is the one bound to
 * the live challenge named by the httpOnly cookie: nothing the client submits can name another account.
 */
export function challengeAction<S extends z.ZodType, T = undefined>(schema: S, handler: Handler<S, ChallengeContext, T>) {
  return async (_prev: ActionState<T> | undefined, input: unknown): Promise<ActionState<T>> => {
    const raw = toObject(input);
    return run(raw, async () => {
      const challenge = await findChallenge(await getDb(), await readChallengeToken());
      if (!challenge) return { ok: false, code: "challenge_expired", error: CHALLENGE_EXPIRED_MESSAGE };
      const parsed = parse(schema, raw);
      if (parsed.state) return parsed.state;
      return handler(parsed.data, { challenge, meta: await requestMeta() });
    });
  };
}

/**
 * A login step as a route handler (app/api/login/*): JSON in, the same ActionState out with its code's
 * HTTP status, cookies set on this response. Server actions would make Next re-render the page into every
 * answer that sets a cookie; a route answers with only what the form needs. Like a server action it is
 * same-origin only: a JSON content type (no HTML form can send one, and a cross-site script would need a
 * preflight we never grant) and an Origin header naming this host, as Next checks for its actions.
 */
function loginRoute<S extends z.ZodType, C, T>(
  schema: S,
  context: (meta: RequestMeta) => Promise<C | ActionState<T>>,
  handler: Handler<S, C, T>,
) {
  return async (request: Request): Promise<Response> => {
    const reply = (state: ActionState<T>) =>
      Response.json(state, { status: state.ok ? 200 : ERROR_STATUS[state.code ?? "internal"], headers: { "cache-control": "no-store" } });
    if (!isSameOriginJson(request)) return reply({ ok: false, code: "forbidden", error: "This request was refused." });
    const text = await request.text().catch(() => "");
    let raw: Record<string, unknown> = {};
    try {
      raw = text.length <= 10_000 ? toObject(JSON.parse(text)) : {};
    } catch {
      raw = {};
    }
    return reply(
      await run(raw, async () => {
        const meta = await requestMeta();
        const ctx = await context(meta);
        if (ctx && typeof ctx === "object" && "ok" in ctx) return ctx as ActionState<T>;
        const parsed = parse(schema, raw);
        if (parsed.state) return parsed.state;
        return handler(parsed.data, ctx as C);
      }),
    );
  };
}

/** JSON, from a page of this app: the Origin names the app's configured URL, or the Host this request came to. */
function isSameOriginJson(request: Request) {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const configured = configuredBaseUrl();
  try {
    const hosts = [request.headers.get("host"), configured ? new URL(configured).host : null].filter(Boolean);
    return hosts.includes(new URL(origin).host);
  } catch {
    return false;
  }
}

/** A login step anyone may call (the password step). */
export function publicRoute<S extends z.ZodType, T = undefined>(schema: S, handler: Handler<S, { meta: RequestMeta }, T>) {
  return loginRoute<S, { meta: RequestMeta }, T>(schema, async (meta) => ({ meta }), handler);
}

/** A login step inside a login in progress: the challenge comes from the httpOnly cookie, never from the request. */
export function challengeRoute<S extends z.ZodType, T = undefined>(schema: S, handler: Handler<S, ChallengeContext, T>) {
  return loginRoute<S, ChallengeContext, T>(
    schema,
    async (meta) => {
      const challenge = await findChallenge(await getDb(), await readChallengeToken());
      if (!challenge) return { ok: false, code: "challenge_expired", error: CHALLENGE_EXPIRED_MESSAGE };
      return { challenge, meta };
    },
    handler,
  );
}
