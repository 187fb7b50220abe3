/**
 * One message of the dev mailbox: headers, the HTML part in a sandboxed iframe (no scripts, no
 * same-origin access; srcDoc inherits the page's CSP, if one is ever set), and the text part.
 * Development only: 404 in production; deliberately unauthenticated in development.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageTitle, SectionTitle } from "@/components/ui";
import { getDb } from "@/lib/db/client";
import { devMailboxEnabled, getDevMail } from "@/lib/mail/dev-mailbox";
import { formatDevTime } from "../format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dev mailbox" };

/** Links open in a new tab (the sandbox allows popups only, which escape it as normal pages). */
function withBaseTarget(html: string) {
  const base = '<base target="_blank">';
  return /<head(\s[^>]*)?>/i.test(html) ? html.replace(/<head(\s[^>]*)?>/i, (head) => head + base) : base + html;
}

export default async function DevMailPage({ params }: { params: Promise<{ id: string }> }) {
  if (!devMailboxEnabled()) notFound();
  const { id } = await params;
  if (!/^\d{1,15}$/.test(id)) notFound();
  const mail = await getDevMail(await getDb(), Number(id));
  if (!mail) notFound();
  return (
    <>
      <p className="mb-4 text-sm">
        <Link href="/dev/mailbox" className="font-medium text-blue-700 hover:underline dark:text-blue-400">
          ← All messages
        </Link>
      </p>
      <PageTitle>
        <span data-testid="mail-subject">{mail.subject}</span>
      </PageTitle>
      <div className="space-y-6">
        <Card>
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="text-slate-500 dark:text-slate-400">From</dt>
            <dd className="break-all">{mail.from}</dd>
            <dt className="text-slate-500 dark:text-slate-400">To</dt>
            <dd className="break-all" data-testid="mail-to">
              {mail.to}
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Received</dt>
            <dd>
              <time dateTime={mail.createdAt.toISOString()}>{formatDevTime(mail.createdAt)}</time>
            </dd>
          </dl>
        </Card>
        <Card>
          <SectionTitle>HTML part</SectionTitle>
          <iframe
            title="HTML part of the message"
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            referrerPolicy="no-referrer"
            srcDoc={withBaseTarget(mail.html)}
            className="h-[36rem] w-full rounded-md border border-slate-200 bg-white dark:border-slate-700"
            data-testid="mail-html"
          />
        </Card>
        <Card>
          <SectionTitle>Text part</SectionTitle>
          <pre
            className="overflow-x-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-4 font-mono text-sm dark:bg-slate-950"
            data-testid="mail-text"
          >
            {mail.text}
          </pre>
        </Card>
      </div>
    </>
  );
}
