import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass, inputClass } from "@/components/styles";
import { Badge, EmailText, PageTitle } from "@/components/ui";
import { listMembers, STATUS_FILTERS, type StatusFilter } from "@/lib/admin/members-table";
import { listPendingInvitations } from "@/lib/admin/pending-invitations";
import { requireAdmin } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { EnforceToggle } from "./enforce-toggle";
import { PendingInvitations } from "./pending-invitations";
import { AccountBadges, formatDateTime, MfaStatusBadges } from "../_components/status";

export const metadata: Metadata = { title: "Members" };

const FILTER_LABEL: Record<StatusFilter, string> = {
  all: "Everyone",
  enabled: "2FA enabled",
  not_set_up: "2FA not set up",
  due: "Required, due",
  overdue: "Overdue",
  locked: "Locked out",
  deactivated: "Deactivated",
};

export default async function MembersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireAdmin();
  const params = await searchParams;
  const filter: StatusFilter = STATUS_FILTERS.includes(params.status as StatusFilter) ? (params.status as StatusFilter) : "all";
  const actor = { id: user.id, orgId: user.orgId };
  const db = await getDb();
  const [{ members, total }, invitations] = await Promise.all([listMembers(db, actor, { filter }), listPendingInvitations(db, actor)]);
  const exportHref = filter === "all" ? "/admin/members/export" : `/admin/members/export?status=${filter}`;

  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageTitle description={`${total} member${total === 1 ? "" : "s"} in your organisation.`}>Members</PageTitle>
        <Link href="/admin/members/new" className={buttonClass("primary")}>
          Add user
        </Link>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 p-4 dark:border-slate-800">
          <form method="get" className="flex items-end gap-2" aria-label="Filter members">
            <div className="space-y-1">
              <label htmlFor="status-filter" className="block text-sm font-medium">
                2FA status
              </label>
              <select id="status-filter" name="status" defaultValue={filter} className={`${inputClass} w-48`}>
                {STATUS_FILTERS.map((s) => (
                  <option key={s} value={s}>
                    {FILTER_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass("secondary")}>
              Filter
            </button>
          </form>
          <a href={exportHref} className={buttonClass("secondary")} download>
            Export CSV
          </a>
        </div>
        {/* Wide enough: a table. Narrower (phones, small tablets): one card per member (.stack-table, by the card's width). */}
        <div className="stack-container relative overflow-x-auto">
          <table role="table" className="stack-table min-w-full text-left text-sm" data-testid="members-table">
            <caption className="sr-only">Members: {FILTER_LABEL[filter]}</caption>
            <thead
              role="rowgroup"
              className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase dark:bg-slate-950 dark:text-slate-400"
            >
              <tr role="row">
                <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                  Name
                </th>
                <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                  Role
                </th>
                <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                  2FA status
                </th>
                <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                  Enforce 2FA
                </th>
                <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                  Last login
                </th>
                <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup" className="divide-y divide-slate-200 dark:divide-slate-800">
              {members.length === 0 && (
                <tr role="row">
                  <td role="cell" colSpan={6} data-label="" className="px-4 py-8 text-center text-slate-600 dark:text-slate-400">
                    No members match this filter.
                  </td>
                </tr>
              )}
              {members.map((m) => (
                <tr
                  role="row"
                  key={m.id}
                  data-testid="member-row"
                  data-email={m.email}
                  className={m.deactivated ? "bg-slate-50 dark:bg-slate-950/40" : undefined}
                >
                  <td role="cell" data-label="" className="px-4 py-3 sm:whitespace-nowrap">
                    <div className="font-medium">
                      <Link href={`/admin/members/${m.id}`} className="hover:underline">
                        {m.name}
                      </Link>
                      {m.id === user.id && <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">(you)</span>}
                    </div>
                    <div className="text-slate-600 dark:text-slate-400">
                      <EmailText email={m.email} />
                    </div>
                    <div className="mt-1 empty:hidden">
                      <AccountBadges member={m} />
                    </div>
                  </td>
                  <td role="cell" data-label="Role" className="px-4 py-3 whitespace-nowrap">
                    <span>
                      <Badge tone={m.role === "admin" ? "blue" : "slate"}>{m.role === "admin" ? "Admin" : "Agent"}</Badge>
                    </span>
                  </td>
                  <td role="cell" data-label="2FA status" className="px-4 py-3">
                    <MfaStatusBadges member={m} />
                  </td>
                  <td role="cell" data-label="Enforce 2FA" className="px-4 py-3">
                    <EnforceToggle userId={m.id} name={m.name} enforced={m.mfaEnforced} />
                  </td>
                  <td role="cell" data-label="Last login" className="px-4 py-3 whitespace-nowrap text-slate-600 dark:text-slate-400">
                    {formatDateTime(m.lastLoginAt)}
                  </td>
                  <td role="cell" data-label="" className="px-4 py-3 text-right whitespace-nowrap">
                    <Link href={`/admin/members/${m.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                      Manage<span className="sr-only"> {m.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <PendingInvitations invitations={invitations} />
    </>
  );
}
