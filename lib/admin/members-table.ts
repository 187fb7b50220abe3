/** The members table: every user of the actor's organisation with their 2FA status, and its CSV export. */
import { and, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { activeLocks, type LockKind } from "@/lib/auth/locks";
import type { Db, Executor } from "@/lib/db/client";
import { invitations, mfaFactors, users, type FactorType, type Role } from "@/lib/db/schema";
import { METHOD_LABEL, allowedMethods, lastGraceDay, mfaRequirement, type MethodSettings } from "@/lib/mfa/policy";
import { assertAdmin, findMember, type AdminActor } from "./guard";
import { memberEmail, memberEmailSql } from "./member-email";

/** enabled: a usable factor; not_set_up: none, not required; due: required, may still skip; overdue: required now. */
export type MfaStatus = "enabled" | "not_set_up" | "due" | "overdue";
export const STATUS_FILTERS = ["all", "enabled", "not_set_up", "due", "overdue", "locked", "deactivated"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type MemberRow = {
  id: string;
  name: string;
  email: string;
  role: Role;
  mfaEnforced: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  deactivated: boolean;
  /** Invited and has not chosen a password yet: pending (link still valid) or expired. */
  invitation: "pending" | "expired" | null;
  /** Methods of confirmed factors the organisation allows (the ones usable at login). */
  methods: FactorType[];
  status: MfaStatus;
  /** For "due": the last day (YYYY-MM-DD, UTC) the member may skip. */
  dueDay: string | null;
  /** Attempt-limit locks in force right now (password: new browsers or a known one, second factor, reauth). */
  locks: LockKind[];
  /** Any of `locks`: "Locked out" in the table, its filter and the CSV. */
  locked: boolean;
};

async function buildRows(
  db: Executor,
  org: Parameters<typeof mfaRequirement>[0] & MethodSettings & { id: string },
  rows: (typeof users.$inferSelect)[],
  now: Date,
) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const factors = await db
    .selectDistinct({ userId: mfaFactors.userId, type: mfaFactors.type })
    .from(mfaFactors)
    .where(and(inArray(mfaFactors.userId, ids), isNotNull(mfaFactors.confirmedAt)));
  const locks = await activeLocks(db, rows);
  const invited = rows.filter((r) => !r.passwordHash).map((r) => r.id);
  const liveInvites = invited.length
    ? await db
        .selectDistinct({ userId: invitations.userId })
        .from(invitations)
        .where(and(inArray(invitations.userId, invited), isNull(invitations.usedAt), gt(invitations.expiresAt, sql`now()`)))
    : [];
  const pending = new Set(liveInvites.map((i) => i.userId));
  return rows.map((u): MemberRow => {
    // A factor counts when its method is allowed for the member's role (lib/mfa/policy.ts).
    const allowed = allowedMethods(org, u.role);
    const methods = factors.filter((f) => f.userId === u.id && allowed.includes(f.type)).map((f) => f.type);
    methods.sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b));
    const requirement = mfaRequirement(org, u, now);
    let status: MfaStatus = "not_set_up";
    if (methods.length > 0) status = "enabled";
    else if (requirement.required) status = requirement.canSkip ? "due" : "overdue";
    return {
      id: u.id,
      name: u.name,
      email: memberEmail(u),
      role: u.role,
      mfaEnforced: u.mfaEnforced,
      lastLoginAt: u.lastLoginAt,
      createdAt: u.createdAt,
      deactivated: !!u.deactivatedAt,
      invitation: u.passwordHash ? null : pending.has(u.id) ? "pending" : "expired",
      methods,
      status,
      dueDay: status === "due" && requirement.graceUntil ? lastGraceDay(requirement.graceUntil) : null,
      locks: locks.get(u.id) ?? [],
      locked: locks.has(u.id),
    };
  });
}

export function matchesFilter(row: MemberRow, filter: StatusFilter) {
  switch (filter) {
    case "all":
      return true;
    case "locked":
      return row.locked;
    case "deactivated":
      return row.deactivated;
    default:
      return !row.deactivated && row.status === filter;
  }
}

export async function listMembers(db: Db, actor: AdminActor, options: { filter?: StatusFilter; now?: Date } = {}) {
  const { org } = await assertAdmin(db, actor);
  const rows = await db.select().from(users).where(eq(users.orgId, org.id)).orderBy(users.name, memberEmailSql(users));
  const all = await buildRows(db, org, rows, options.now ?? new Date());
  const filter = options.filter ?? "all";
  return { org, members: all.filter((r) => matchesFilter(r, filter)), total: all.length };
}

/** One member of the actor's organisation with status and the latest admin-relevant facts. */
export async function getMember(db: Db, actor: AdminActor, userId: string, now = new Date()) {
  const { org } = await assertAdmin(db, actor);
  const user = await findMember(db, actor, userId);
  const [row] = await buildRows(db, org, [user], now);
  const [invite] = await db
    .select({ expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .where(and(eq(invitations.userId, user.id), eq(invitations.orgId, org.id), isNull(invitations.usedAt)))
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  const factors = await db
    .select({ id: mfaFactors.id })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, user.id), isNotNull(mfaFactors.confirmedAt)));
  return { org, member: row!, invitationExpiresAt: invite?.expiresAt ?? null, factorCount: factors.length };
}

export const STATUS_LABEL: Record<MfaStatus, string> = {
  enabled: "Enabled",
  not_set_up: "Not set up",
  due: "Required",
  overdue: "Overdue",
};

const METHOD_NAME: Record<FactorType, string> = METHOD_LABEL;

/**
 * A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection): a value starting with
 * = + - @ (or tab / carriage return) gets a leading quote; every cell is quoted, inner quotes doubled.
 */
export function csvCell(value: string | number | boolean | null | undefined) {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function membersCsv(rows: MemberRow[]) {
  const header = [
    "Name",
    "Email",
    "Role",
    "2FA status",
    "Due (last day to skip)",
    "Methods",
    "2FA enforced",
    "Locked out",
    "Last login (UTC)",
    "Active",
  ];
  const lines = rows.map((r) =>
    [
      r.name,
      r.email,
      r.role,
      STATUS_LABEL[r.status],
      r.dueDay ?? "",
      r.methods.map((m) => METHOD_NAME[m]).join("; "),
      r.mfaEnforced ? "yes" : "no",
      r.locked ? "yes" : "no",
      r.lastLoginAt ? r.lastLoginAt.toISOString() : "",
      r.deactivated ? "deactivated" : r.invitation ? `invited (${r.invitation})` : "yes",
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.map(csvCell).join(","), ...lines].join("\r\n") + "\r\n";
}

export async function exportMembersCsv(db: Db, actor: AdminActor, options: { filter?: StatusFilter; now?: Date } = {}) {
  const { members } = await listMembers(db, actor, options);
  return membersCsv(members);
}
