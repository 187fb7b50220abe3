/**
 * Opening a session in ONE statement (data-modifying CTEs are atomic): whatever lets this login through
 * (the gate: a login challenge consumed, a remembered browser used, a password-only user), the user's
 * last sign-in, the session row, the audit rows, the attempt counters and, when asked, a remembered
 * browser. Nothing is written unless the gate lets the login through, and the gate may itself depend on
 * an earlier CTE (the TOTP replay guard's claim of a time step). docs/performance.md says why: each
 * round trip to the database costs more than the work it carries.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AuditEventName } from "@/lib/audit";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/config";
import { sha256 } from "@/lib/crypto";
import { rowsOf, type Executor } from "@/lib/db/client";
import type { RequestMeta } from "@/lib/request-context";

export type SessionPlan = {
  /** CTEs the gate may read (name, statement), e.g. the TOTP claim. */
  before?: [name: string, statement: SQL][];
  /** Returns at most one row (user_id, org_id, method) when the login may go through. */
  gate: SQL;
  meta: RequestMeta;
  /** Audit rows written before `login.success`, in this order, only when the session opens. */
  audits?: { event: AuditEventName; detail: Record<string, unknown> }[];
  /** Attempt counters deleted (a success resets them) or given one attempt back, only when the session opens. */
  resetKeys?: string[];
  releaseKeys?: string[];
  /** "Don't ask again on this browser": the remembered device's token hash and expiry. */
  remember?: { token: string; expiresAt: Date; days: number };
};

/** The new session and what the sign-in's aftermath needs (device cookie, new-browser email) without another query. */
export type OpenedRow = {
  sessionId: string;
  userId: string;
  orgId: string;
  sessionVersion: number;
  method: string | null;
  email: string;
  name: string;
  orgName: string;
  /** The account's very first sign-in (just signed up, or invited): no earlier browser to compare with. */
  firstSignIn: boolean;
};

/** The gate of a login whose challenge is consumed now: only a live, unconsumed one (and `completed`, unless completing it here). */
export function consumeChallengeGate(where: SQL, options: { completeAs?: string; after?: string } = {}) {
  const complete = options.completeAs ? sql`completed_at = now(), method = ${options.completeAs},` : sql``;
  const pending = options.completeAs ? sql`completed_at IS NULL` : sql`completed_at IS NOT NULL`;
  const after = options.after ? sql`AND EXISTS (SELECT 1 FROM ${sql.raw(options.after)})` : sql``;
  return sql`UPDATE login_challenges SET ${complete} consumed_at = now()
    WHERE ${where} AND consumed_at IS NULL AND ${pending} AND expires_at > now() ${after}
    RETURNING user_id, org_id, method`;
}

const inList = (keys: string[]) =>
  sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  );

/**
 * Runs the plan. Returns the new session, or null when the gate refused (challenge used or expired,
 * user deactivated); `extra` holds the `before` CTEs' row counts (e.g. whether the claim happened).
 */
export async function openSessionWith(
  db: Executor,
  plan: SessionPlan,
): Promise<{ opened: OpenedRow | null; extra: Record<string, number> }> {
  const { ip, userAgent, client } = plan.meta;
  const before = plan.before ?? [];
  const audits = [
    ...(plan.audits ?? []).map((a) => ({ event: a.event as string, detail: a.detail })),
    { event: "login.success", detail: null },
  ];
  const auditRows = sql.join(
    audits.map((a, i) => sql`(${sql.raw(String(i))}, ${a.event}, ${a.detail ? JSON.stringify(a.detail) : null}::jsonb)`),
    sql`, `,
  );
  const ctes: SQL[] = [
    ...before.map(([name, statement]) => sql`${sql.raw(name)} AS (${statement})`),
    sql`gate AS (${plan.gate})`,
    sql`u AS (UPDATE users SET last_login_at = now() FROM gate
      WHERE users.id = gate.user_id AND users.org_id = gate.org_id AND users.deactivated_at IS NULL
      RETURNING users.id, users.org_id, users.session_version, users.email, users.name, gate.method,
        -- Read in the statement's snapshot: the values before this sign-in.
        (SELECT p.last_login_at FROM users AS p WHERE p.id = users.id) AS previous_login,
        (SELECT o.name FROM organizations AS o WHERE o.id = users.org_id) AS org_name)`,
    sql`s AS (INSERT INTO sessions (user_id, org_id, method, ip, user_agent, client_name, client_kind, expires_at)
      SELECT id, org_id, method, ${ip}, ${userAgent}, ${client?.name ?? null}, ${client?.kind ?? null},
        now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS}) FROM u RETURNING id)`,
    // One INSERT for every audit row, ordered, so the log reads in the order things happened.
    sql`a AS (INSERT INTO audit_events (org_id, event, actor_user_id, actor_type, target_user_id, detail, ip, user_agent)
      SELECT u.org_id, v.event, u.id, 'user', u.id,
        coalesce(v.detail, jsonb_build_object('method', coalesce(u.method, 'password'))), ${ip}, ${userAgent}
      FROM u CROSS JOIN (VALUES ${auditRows}) AS v(n, event, detail) ORDER BY v.n)`,
  ];
  if (plan.resetKeys?.length) {
    ctes.push(sql`r AS (DELETE FROM attempt_counters WHERE key IN (${inList(plan.resetKeys)}) AND EXISTS (SELECT 1 FROM u))`);
  }
  if (plan.releaseKeys?.length) {
    ctes.push(sql`l AS (UPDATE attempt_counters SET count = GREATEST(0, count - 1)
      WHERE key IN (${inList(plan.releaseKeys)}) AND locked_until IS NULL AND EXISTS (SELECT 1 FROM u))`);
  }
  if (plan.remember) {
    const { token, expiresAt, days } = plan.remember;
    ctes.push(sql`d AS (INSERT INTO remembered_devices (user_id, org_id, token_hash, user_agent, ip, expires_at)
      SELECT id, org_id, ${sha256(token)}, ${userAgent}, ${ip}, ${expiresAt.toISOString()}::timestamptz FROM u)`);
    ctes.push(sql`da AS (INSERT INTO audit_events (org_id, event, actor_user_id, actor_type, target_user_id, detail, ip, user_agent)
      SELECT org_id, 'device.remembered', id, 'user', id, ${JSON.stringify({ days })}::jsonb, ${ip}, ${userAgent} FROM u)`);
  }
  const counts = before.map(([name]) => sql`(SELECT count(*) FROM ${sql.raw(name)})::int AS ${sql.raw(`"n_${name}"`)}`);
  const [row] = await rowsOf<Record<string, unknown>>(
    db,
    sql`WITH ${sql.join(ctes, sql`, `)}
      SELECT s.id AS session_id, u.id AS user_id, u.org_id, u.session_version, u.method, u.email, u.name, u.previous_login, u.org_name ${counts.length ? sql`, ${sql.join(counts, sql`, `)}` : sql``}
      FROM (SELECT 1) AS one LEFT JOIN s ON true LEFT JOIN u ON true`,
  );
  const extra = Object.fromEntries(before.map(([name]) => [name, Number(row?.[`n_${name}`] ?? 0)]));
  if (!row?.session_id) return { opened: null, extra };
  return {
    opened: {
      sessionId: String(row.session_id),
      userId: String(row.user_id),
      orgId: String(row.org_id),
      sessionVersion: Number(row.session_version),
      method: (row.method as string | null) ?? null,
      email: String(row.email),
      name: String(row.name),
      orgName: String(row.org_name ?? ""),
      firstSignIn: row.previous_login == null,
    },
    extra,
  };
}
