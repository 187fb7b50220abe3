/**
 * The weekly compliance digest (to each admin who has not switched it off): how many members have 2FA and
 * with which method, who has not set it up and by when, the week's lockouts and admin resets, with links
 * to the members list filtered accordingly. Computed when the email is sent, from the members table's
 * own status rules (lib/admin/members-table.ts), so the numbers match what the admin sees.
 */
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { listMembers } from "@/lib/admin/members-table";
import { PRODUCT_NAME } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { greeting, oneLine, render, type Block, type Email } from "@/lib/mail/templates";

const WEEK_MS = 7 * 24 * 3600 * 1000;
const RESET_EVENTS = ["admin.mfa.removed", "operator.mfa.reset", "admin.incident.mfa_reset_everyone"] as const;

export type Digest = {
  members: number;
  with2fa: number;
  byMethod: { totp: number; email: number; webauthn: number };
  notEnrolled: { name: string; email: string; deadline: string; status: "due" | "overdue" | "not_set_up" }[];
  lockouts: { name: string; count: number }[];
  resets: number;
};

/** The digest's numbers for the week ending at `now`, as `admin` (an active admin of the organisation) may see them. */
export async function computeDigest(db: Db, admin: { id: string; orgId: string }, now: Date): Promise<Digest> {
  const { members } = await listMembers(db, admin, { now });
  const active = members.filter((m) => !m.deactivated && !m.invitation);
  const since = new Date(now.getTime() - WEEK_MS);
  const week = and(eq(auditEvents.orgId, admin.orgId), gte(auditEvents.createdAt, since), lt(auditEvents.createdAt, now));
  const locked = await db
    .select({ name: users.name })
    .from(auditEvents)
    .innerJoin(users, eq(users.id, auditEvents.targetUserId))
    .where(and(week, eq(auditEvents.event, "mfa.locked")));
  const lockouts = new Map<string, number>();
  for (const l of locked) lockouts.set(l.name, (lockouts.get(l.name) ?? 0) + 1);
  const resets = await db
    .select({ event: auditEvents.event, detail: auditEvents.detail })
    .from(auditEvents)
    .where(and(week, inArray(auditEvents.event, [...RESET_EVENTS])));
  const resetCount = resets.reduce((n, r) => n + (r.event === "admin.incident.mfa_reset_everyone" ? Number(r.detail.members ?? 0) : 1), 0);
  return {
    members: active.length,
    with2fa: active.filter((m) => m.methods.length > 0).length,
    byMethod: {
      totp: active.filter((m) => m.methods.includes("totp")).length,
      email: active.filter((m) => m.methods.includes("email")).length,
      webauthn: active.filter((m) => m.methods.includes("webauthn")).length,
    },
    notEnrolled: active
      .filter((m) => m.methods.length === 0)
      .map((m) => ({
        name: m.name,
        email: m.email,
        deadline: m.status === "due" ? `by ${m.dueDay}` : m.status === "overdue" ? "overdue: required now" : "not required",
        status: m.status === "enabled" ? "not_set_up" : m.status,
      })),
    lockouts: [...lockouts].map(([name, count]) => ({ name, count })),
    resets: resetCount,
  };
}

export function digestEmail(to: { orgName: string; userName: string }, d: Digest, week: { from: string; to: string }, base: string): Email {
  const list = (status: string) => `${base}/admin/members?status=${status}`;
  const blocks: Block[] = [
    greeting(to.userName),
    { kind: "p", text: `Two-factor authentication in ${oneLine(to.orgName)}, week of ${week.from} to ${week.to}.` },
    {
      kind: "list",
      items: [
        `${d.with2fa} of ${d.members} active members have two-factor authentication.`,
        `Authenticator app: ${d.byMethod.totp}. Security key or passkey: ${d.byMethod.webauthn}. Email codes: ${d.byMethod.email}.`,
        `Not set up: ${d.notEnrolled.length}.`,
        `Lockouts this week: ${d.lockouts.reduce((n, l) => n + l.count, 0)}. Admin 2FA resets this week: ${d.resets}.`,
      ],
    },
    { kind: "button", label: "Members with 2FA", href: list("enabled") },
  ];
  if (d.notEnrolled.length) {
    blocks.push(
      { kind: "p", text: "Not set up yet, with their deadline:" },
      { kind: "list", items: d.notEnrolled.map((m) => `${oneLine(m.name)} (${m.email}): ${m.deadline}`) },
    );
    const groups = (
      [
        ["due", "In the grace period"],
        ["overdue", "Overdue (required now)"],
        ["not_set_up", "Not required, not set up"],
      ] as const
    )
      .map(([status, label]) => ({ status, label, n: d.notEnrolled.filter((m) => m.status === status).length }))
      .filter((g) => g.n > 0);
    blocks.push(
      { kind: "button", label: `Members without 2FA: ${groups[0]!.label.toLowerCase()}`, href: list(groups[0]!.status) },
      ...(groups.length > 1 ? [{ kind: "list" as const, items: groups.map((g) => `${g.label} (${g.n}): ${list(g.status)}`) }] : []),
    );
  }
  if (d.lockouts.length) {
    blocks.push(
      { kind: "p", text: "Locked out this week:" },
      { kind: "list", items: d.lockouts.map((l) => `${oneLine(l.name)}: ${l.count} time${l.count === 1 ? "" : "s"}`) },
      { kind: "button", label: "Members locked out now", href: list("locked") },
    );
  }
  blocks.push({
    kind: "note",
    text: `Sent on Monday mornings while your organisation requires 2FA or the digest is switched on (2FA policy page). Switch it off for yourself in Security › Notifications: ${base}/security/notifications`,
  });
  return render({
    orgName: to.orgName,
    subject: `${PRODUCT_NAME} weekly 2FA digest for ${oneLine(to.orgName)}: ${d.with2fa} of ${d.members} members protected`,
    heading: "Weekly two-factor authentication digest",
    preheader: `${d.with2fa} of ${d.members} members have 2FA; ${d.notEnrolled.length} not set up.`,
    blocks,
  });
}
