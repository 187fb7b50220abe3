/**
 * Reading the audit log: the admin's audit page and each user's login history. Every function takes
 * the organisation id and filters by it, so one organisation never sees another's events.
 */
import { and, asc, count, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { memberEmailSql } from "@/lib/admin/member-email";
import type { Executor } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = {
  /** Events where this member is the actor or the target. */
  memberId?: string;
  event?: string;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  until?: Date;
};

export type AuditPerson = { id: string; name: string; email: string } | null;

export type AuditRow = {
  id: number;
  createdAt: Date;
  event: string;
  actorType: string;
  actor: AuditPerson;
  target: AuditPerson;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
};

function auditWhere(orgId: string, filter: AuditFilter): SQL {
  const conditions: (SQL | undefined)[] = [eq(auditEvents.orgId, orgId)];
  if (filter.memberId) {
    conditions.push(or(eq(auditEvents.actorUserId, filter.memberId), eq(auditEvents.targetUserId, filter.memberId)));
  }
  if (filter.event) conditions.push(eq(auditEvents.event, filter.event));
  if (filter.from) conditions.push(gte(auditEvents.createdAt, filter.from));
  if (filter.until) conditions.push(lt(auditEvents.createdAt, filter.until));
  return and(...conditions)!;
}

/** One page (newest first, `pageSize` rows, pages counted from 1) of the organisation's audit log. */
export async function listAuditEvents(
  db: Executor,
  orgId: string,
  filter: AuditFilter = {},
  options: { page?: number; pageSize?: number } = {},
) {
  const pageSize = Math.min(Math.max(options.pageSize ?? AUDIT_PAGE_SIZE, 1), 200);
  const where = auditWhere(orgId, filter);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(auditEvents).where(where);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(Math.floor(options.page ?? 1), 1), pageCount);

  // Names come only from users of the same organisation (the join repeats the org condition).
  const actor = alias(users, "actor");
  const target = alias(users, "target");
  const rows = await db
    .select({
      id: auditEvents.id,
      createdAt: auditEvents.createdAt,
      event: auditEvents.event,
      actorType: auditEvents.actorType,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
      detail: auditEvents.detail,
      actorId: actor.id,
      actorName: actor.name,
      actorEmail: memberEmailSql(actor),
      targetId: target.id,
      targetName: target.name,
      targetEmail: memberEmailSql(target),
    })
    .from(auditEvents)
    .leftJoin(actor, and(eq(actor.id, auditEvents.actorUserId), eq(actor.orgId, orgId)))
    .leftJoin(target, and(eq(target.id, auditEvents.targetUserId), eq(target.orgId, orgId)))
    .where(where)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);

  const events: AuditRow[] = rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    event: r.event,
    actorType: r.actorType,
    actor: r.actorId ? { id: r.actorId, name: r.actorName!, email: r.actorEmail! } : null,
    target: r.targetId ? { id: r.targetId, name: r.targetName!, email: r.targetEmail! } : null,
    ip: r.ip,
    userAgent: r.userAgent,
    detail: r.detail ?? {},
  }));
  return { events, total, page, pageCount, pageSize };
}

/** The members an admin can filter the audit log by (deactivated ones included: their history stays). */
export async function auditMembers(db: Executor, orgId: string) {
  return db
    .select({ id: users.id, name: users.name, email: memberEmailSql(users) })
    .from(users)
    .where(eq(users.orgId, orgId))
    .orderBy(asc(users.name), asc(memberEmailSql(users)));
}

export const LOGIN_HISTORY_EVENTS = ["login.success", "login.failure", "login.locked", "mfa.challenge.failure", "mfa.locked"] as const;

export type LoginHistoryEntry = {
  id: number;
  createdAt: Date;
  event: (typeof LOGIN_HISTORY_EVENTS)[number];
  /** password, totp, email, recovery, remembered; null when the event does not say. */
  method: string | null;
  outcome: "success" | "failure" | "locked";
  ip: string | null;
  userAgent: string | null;
};

/** The user's recent sign-ins, failures and lockouts, newest first. */
export async function loginHistory(db: Executor, user: { id: string; orgId: string }, limit = 20): Promise<LoginHistoryEntry[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(eq(auditEvents.orgId, user.orgId), eq(auditEvents.targetUserId, user.id), inArray(auditEvents.event, [...LOGIN_HISTORY_EVENTS])),
    )
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(Math.min(Math.max(limit, 1), 100));
  return rows.map((r) => {
    const event = r.event as LoginHistoryEntry["event"];
    const detailMethod = typeof r.detail?.method === "string" ? r.detail.method : null;
    // The password step's events are about the password; second-factor events name their method.
    const method = detailMethod ?? (event.startsWith("login.") && event !== "login.success" ? "password" : null);
    const outcome = event === "login.success" ? "success" : event.endsWith(".locked") ? "locked" : "failure";
    return { id: r.id, createdAt: r.createdAt, event, method, outcome, ip: r.ip, userAgent: r.userAgent };
  });
}

type SearchParams = Record<string, string | string[] | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT = /^[a-z][a-z0-9._-]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function one(value: string | string[] | undefined) {
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

function day(value: string | undefined) {
  if (!value || !DAY.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : date;
}

/**
 * The audit page's query string → a filter. Malformed values are dropped (never sent to the
 * database); dates are whole UTC days, both ends included. `values` are what the form shows again.
 */
export function parseAuditSearchParams(params: SearchParams) {
  const memberId = one(params.member);
  const event = one(params.event);
  const fromText = one(params.from);
  const toText = one(params.to);
  const from = day(fromText);
  const to = day(toText);
  const pageNumber = Number(one(params.page));
  const filter: AuditFilter = {
    memberId: memberId && UUID.test(memberId) ? memberId.toLowerCase() : undefined,
    event: event && EVENT.test(event) ? event : undefined,
    from,
    until: to ? new Date(to.getTime() + 24 * 60 * 60 * 1000) : undefined,
  };
  return {
    filter,
    page: Number.isInteger(pageNumber) && pageNumber >= 1 && pageNumber <= 1_000_000 ? pageNumber : 1,
    values: {
      member: filter.memberId ?? "",
      event: filter.event ?? "",
      from: from ? fromText! : "",
      to: to ? toText! : "",
    },
    invalidDates: Boolean((fromText && !from) || (toText && !to)),
    reversedDates: Boolean(from && to && from > to),
  };
}
