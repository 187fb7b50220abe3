/**
 * The dev mailbox: mail sent while SMTP_URL is unset, newest first. Development only: 404 in
 * production. Deliberately unauthenticated in development (testers read codes here; see README).
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { inputClass } from "@/components/styles";
import { Card, Notice, PageTitle, SectionTitle } from "@/components/ui";
import { getDb } from "@/lib/db/client";
import { DEV_MAIL_MAX_LIMIT, devMailboxEnabled, listDevMail } from "@/lib/mail/dev-mailbox";
import { formatDevTime } from "./format";
import { SampleForm } from "./sample-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dev mailbox" };

export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<{ to?: string | string[] }> }) {
  if (!devMailboxEnabled()) notFound();
  const raw = (await searchParams).to;
  const to = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 320) || undefined;
  const messages = await listDevMail(await getDb(), { to, limit: DEV_MAIL_MAX_LIMIT });
  const jsonHref = `/api/dev/mail${to ? `?to=${encodeURIComponent(to)}` : ""}`;
  return (
    <>
      <PageTitle
        description={
          <>
            Mail sent while <code>SMTP_URL</code> is unset. Newest first; also as JSON at{" "}
            <a href={jsonHref} className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400">
              {jsonHref}
            </a>
            .
          </>
        }
      >
        Dev mailbox
      </PageTitle>
      <div className="space-y-6">
        {process.env.SMTP_URL && (
          <Notice tone="warning" title="SMTP_URL is set">
            New mail goes to the SMTP server, not to this mailbox.
          </Notice>
        )}
        <Card>
          <form
            method="get"
            className="flex flex-wrap items-end gap-3 border-b border-slate-200 pb-4 dark:border-slate-800"
            aria-label="Filter"
          >
            <div className="min-w-64 flex-1 space-y-1">
              <label htmlFor="mailbox-to" className="block text-sm font-medium">
                Recipient
              </label>
              <input id="mailbox-to" name="to" type="search" defaultValue={to} placeholder="Any recipient" className={inputClass} />
            </div>
            <button
              type="submit"
              className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              Filter
            </button>
            {to && (
              <Link href="/dev/mailbox" className="py-2 text-sm font-medium text-blue-700 hover:underline dark:text-blue-400">
                Show all
              </Link>
            )}
          </form>
          {messages.length === 0 ? (
            <p className="pt-8 pb-4 text-center text-sm text-slate-600 dark:text-slate-400" data-testid="mailbox-empty">
              No messages{to ? ` for ${to}` : ""}.
            </p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" data-testid="mailbox-list">
                <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                  <tr>
                    <th scope="col" className="px-3 first:pl-0 last:pr-0 py-2 font-medium">
                      To
                    </th>
                    <th scope="col" className="px-3 first:pl-0 last:pr-0 py-2 font-medium">
                      Subject
                    </th>
                    <th scope="col" className="px-3 first:pl-0 last:pr-0 py-2 font-medium whitespace-nowrap">
                      Received
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
                  {messages.map((m) => (
                    <tr key={m.id} data-testid="mailbox-row">
                      <td className="px-3 first:pl-0 last:pr-0 py-3 align-top whitespace-nowrap">{m.to}</td>
                      <td className="px-3 first:pl-0 last:pr-0 py-3 align-top">
                        <Link href={`/dev/mailbox/${m.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                          {m.subject}
                        </Link>
                      </td>
                      <td className="px-3 first:pl-0 last:pr-0 py-3 align-top whitespace-nowrap text-slate-600 dark:text-slate-400">
                        <time dateTime={m.createdAt.toISOString()}>{formatDevTime(m.createdAt)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <Card>
          <SectionTitle description="Preview a template or check the mail set-up. The message goes through the normal sending path.">
            Send a sample
          </SectionTitle>
          <SampleForm defaultTo={to} />
        </Card>
      </div>
    </>
  );
}
