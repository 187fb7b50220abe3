import type { Metadata } from "next";
import Link from "next/link";
import { Field, SubmitButton } from "@/components/form";
import { Card, EmailText, Notice, PageTitle } from "@/components/ui";
import { EVENT_LABELS, describeDetail, eventLabel } from "@/lib/audit/labels";
import { auditMembers, listAuditEvents, parseAuditSearchParams, type AuditPerson, type AuditRow } from "@/lib/audit/queries";
import { requireAdmin } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { recordExpiredTempCodes } from "@/lib/mfa/temp-codes";
import { requestLocale } from "@/lib/request-context";
import { describeUserAgent } from "@/lib/user-agent";

export const metadata: Metadata = { title: "Audit log" };

const selectClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-blue-600 focus:ring-2 focus:ring-blue-600/30 dark:border-slate-700 dark:bg-slate-950";
const linkButtonClass =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-900 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";

const EVENT_GROUPS: { label: string; test: (event: string) => boolean }[] = [
  {
    label: "Sign-in and sessions",
    test: (e) => e.startsWith("login.") || e.startsWith("mfa.challenge") || e === "mfa.locked" || e.startsWith("session."),
  },
  { label: "Two-factor and devices", test: (e) => e.startsWith("mfa.") || e.startsWith("device.") },
  { label: "Account", test: (e) => e.startsWith("user.") || e.startsWith("invitation.") },
  { label: "Administration", test: (e) => e.startsWith("admin.") || e.startsWith("operator.") },
  { label: "Notifications", test: (e) => e.startsWith("notification.") },
];

function eventOptions() {
  const seen = new Set<string>();
  return EVENT_GROUPS.map((group) => {
    const events = Object.keys(EVENT_LABELS).filter((e) => !seen.has(e) && group.test(e));
    events.forEach((e) => seen.add(e));
    return { label: group.label, events };
  });
}

/** UTC (as the filters are), written the reader's way. */
const utcFormat = (locale: string) =>
  new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone: "UTC",
  });

function Person({ person, fallback }: { person: AuditPerson; fallback: string }) {
  if (!person) return <span className="text-slate-600 dark:text-slate-400">{fallback}</span>;
  return (
    <span>
      <span className="block font-medium">{person.name}</span>
      <EmailText email={person.email} className="block text-xs text-slate-600 dark:text-slate-400" />
    </span>
  );
}

function actorFallback(row: AuditRow) {
  if (row.actorType === "operator") return "Operator (server command)";
  if (row.actorType === "system") return "System";
  return "—";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const parsed = parseAuditSearchParams(await searchParams);
  const db = await getDb();
  // Temporary access codes that expired unused are recorded when first noticed: so the log shown is complete.
  await db.transaction((tx) => recordExpiredTempCodes(tx, { orgId: admin.orgId }));
  const [members, result, locale] = await Promise.all([
    auditMembers(db, admin.orgId),
    listAuditEvents(db, admin.orgId, parsed.filter, { page: parsed.page }),
    requestLocale(),
  ]);
  const timeFormat = utcFormat(locale);
  const groups = eventOptions();
  const knownEvent = groups.some((g) => g.events.includes(parsed.values.event));

  const pageHref = (page: number) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(parsed.values)) if (v) query.set(k, v);
    if (page > 1) query.set("page", String(page));
    const text = query.toString();
    return text ? `/admin/audit?${text}` : "/admin/audit";
  };
  const first = result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1;
  const last = (result.page - 1) * result.pageSize + result.events.length;

  return (
    <>
      <PageTitle description={`Sign-ins, two-factor changes and administration in ${admin.org.name}. Times are in UTC.`}>
        Audit log
      </PageTitle>
      <div className="space-y-6">
        <Card>
          {/* Keyed by the filters: after a client-side navigation (Clear, paging) the inputs show the URL's values. */}
          <form
            key={JSON.stringify(parsed.values)}
            method="get"
            action="/admin/audit"
            className="space-y-4"
            aria-label="Filter the audit log"
          >
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <div className="space-y-1">
                <label htmlFor="audit-member" className="block text-sm font-medium">
                  Member
                </label>
                <select id="audit-member" name="member" defaultValue={parsed.values.member} className={selectClass}>
                  <option value="">Everyone</option>
                  {members.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name} ({m.email})
                    </option>
                  ))}
                </select>
              </div>
              <div className="space-y-1">
                <label htmlFor="audit-event" className="block text-sm font-medium">
                  Event
                </label>
                <select id="audit-event" name="event" defaultValue={parsed.values.event} className={selectClass}>
                  <option value="">All events</option>
                  {!knownEvent && parsed.values.event && <option value={parsed.values.event}>{parsed.values.event}</option>}
                  {groups.map((g) => (
                    <optgroup key={g.label} label={g.label}>
                      {g.events.map((e) => (
                        <option key={e} value={e}>
                          {eventLabel(e)}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <Field label="From (UTC)" name="from" type="date" id="audit-from" defaultValue={parsed.values.from} />
              <Field label="To (UTC, included)" name="to" type="date" id="audit-to" defaultValue={parsed.values.to} />
            </div>
            <div className="flex gap-3">
              <SubmitButton pendingText="Filtering…">Apply filters</SubmitButton>
              <Link href="/admin/audit" className={linkButtonClass}>
                Clear
              </Link>
            </div>
          </form>
        </Card>

        {parsed.invalidDates && <Notice tone="warning">A date was not valid and was ignored. Use the date picker (YYYY-MM-DD).</Notice>}
        {parsed.reversedDates && <Notice tone="warning">The “From” date is after the “To” date, so nothing can match.</Notice>}

        <section className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-6 py-3 text-sm dark:border-slate-800">
            <p data-testid="audit-summary">
              {result.total === 0
                ? "No events match."
                : `Showing ${first}–${last} of ${result.total} event${result.total === 1 ? "" : "s"}`}
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              Page {result.page} of {result.pageCount}
            </p>
          </div>
          {result.events.length > 0 && (
            // Wide enough: a table; narrower (phones, tablets): one card per event (.stack-wide), every detail in words.
            <div className="stack-container overflow-x-auto">
              <table role="table" className="stack-table stack-wide w-full text-left text-sm" data-testid="audit-table">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead
                  role="rowgroup"
                  className="border-b border-slate-200 text-xs tracking-wide text-slate-600 uppercase dark:border-slate-800 dark:text-slate-400"
                >
                  <tr role="row">
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Time (UTC)
                    </th>
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Event
                    </th>
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Actor
                    </th>
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Target
                    </th>
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Address
                    </th>
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Browser / OS
                    </th>
                    <th role="columnheader" scope="col" className="px-4 py-2 font-medium">
                      Details
                    </th>
                  </tr>
                </thead>
                <tbody role="rowgroup" className="divide-y divide-slate-100 align-top dark:divide-slate-800">
                  {result.events.map((row) => (
                    <tr role="row" key={row.id} data-testid="audit-row" data-event={row.event}>
                      <td role="cell" data-label="Time (UTC)" className="px-4 py-2 whitespace-nowrap">
                        <time dateTime={row.createdAt.toISOString()}>{timeFormat.format(row.createdAt)}</time>
                      </td>
                      <td role="cell" data-label="Event" className="px-4 py-2 font-medium sm:min-w-36 sm:font-normal">
                        {eventLabel(row.event)}
                      </td>
                      <td role="cell" data-label="Actor" className="px-4 py-2">
                        <Person person={row.actor} fallback={actorFallback(row)} />
                      </td>
                      <td role="cell" data-label="Target" className="px-4 py-2">
                        <Person person={row.target} fallback="—" />
                      </td>
                      <td role="cell" data-label="Address" className="px-4 py-2 font-mono text-xs break-all">
                        {row.ip ?? "—"}
                      </td>
                      <td role="cell" data-label="Browser / OS" className="px-4 py-2">
                        {row.userAgent ? describeUserAgent(row.userAgent).text : "—"}
                      </td>
                      <td role="cell" data-label="Details" className="px-4 py-2 text-xs text-slate-600 dark:text-slate-400">
                        {describeDetail(row.detail, row.event) || "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.pageCount > 1 && (
            <nav
              aria-label="Audit log pages"
              className="flex items-center justify-between border-t border-slate-200 px-6 py-3 dark:border-slate-800"
            >
              {result.page > 1 ? (
                <Link href={pageHref(result.page - 1)} className={linkButtonClass} rel="prev">
                  Previous page
                </Link>
              ) : (
                <span />
              )}
              {result.page < result.pageCount && (
                <Link href={pageHref(result.page + 1)} className={linkButtonClass} rel="next">
                  Next page
                </Link>
              )}
            </nav>
          )}
        </section>
      </div>
    </>
  );
}
