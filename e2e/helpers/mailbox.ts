/**
 * Read the dev mailbox from tests (GET /api/dev/mail; development server only). Each helper polls
 * until the message is there (expect.poll: no fixed sleeps) and fails with a clear message if not.
 *
 *   const cursor = await mailCursor(request, email);          // before the action that sends mail
 *   await page.getByRole("button", { name: "Email me a code" }).click();
 *   const code = await latestCode(request, email, { after: cursor });
 */
import { expect, type APIRequestContext } from "@playwright/test";

export type DevMail = { id: number; to: string; from: string; subject: string; text: string; html: string; createdAt: string };

export type MailQuery = {
  /** Only mail with an id above this one (take it with mailCursor() before triggering the email). */
  after?: number;
  /** Only mail whose subject matches. */
  subject?: string | RegExp;
  /** How long to wait for the message (ms); default 15 s. */
  timeout?: number;
};

async function fetchMail(request: APIRequestContext, to: string, after?: number): Promise<DevMail[]> {
  const params = new URLSearchParams({ to, limit: "20" });
  if (after !== undefined) params.set("after", String(after));
  const res = await request.get(`/api/dev/mail?${params}`);
  if (!res.ok()) throw new Error(`GET /api/dev/mail answered ${res.status()}: is this a development server without SMTP_URL?`);
  return (await res.json()) as DevMail[];
}

const subjectMatches = (subject: string, wanted?: string | RegExp) =>
  wanted === undefined ? true : typeof wanted === "string" ? subject.includes(wanted) : wanted.test(subject);

/** The id of the newest message for `to` right now (0 if none): pass it as `after` to wait for a new one. */
export async function mailCursor(request: APIRequestContext, to: string): Promise<number> {
  return (await fetchMail(request, to))[0]?.id ?? 0;
}

/** The newest message for `to` (matching `opts`), waiting for it to arrive. */
export async function latestMail(request: APIRequestContext, to: string, opts: MailQuery = {}): Promise<DevMail> {
  let found: DevMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await fetchMail(request, to, opts.after)).find((m) => subjectMatches(m.subject, opts.subject));
        return found?.id ?? null;
      },
      { message: `an email to ${to}${opts.after ? ` after #${opts.after}` : ""} in the dev mailbox`, timeout: opts.timeout ?? 15_000 },
    )
    .not.toBeNull();
  return found!;
}

/** The six-digit code of a message: the one on a line of its own in the text part. */
export function codeFrom(mail: Pick<DevMail, "text">): string {
  const code = mail.text.match(/^\s*(\d{6})\s*$/m)?.[1];
  if (!code) throw new Error("No six-digit code in this email");
  return code;
}

/** The one-time code of the newest message for `to`, waiting for it to arrive. */
export async function latestCode(request: APIRequestContext, to: string, opts: MailQuery = {}): Promise<string> {
  return codeFrom(await latestMail(request, to, opts));
}

/** The path (with its token) of the first link in a message's text part whose path starts with `prefix`, e.g. "/signup/confirm/". */
export function linkFrom(mail: Pick<DevMail, "text">, prefix: string): string {
  for (const [url] of mail.text.matchAll(/https?:\/\/\S+/g)) {
    const { pathname } = new URL(url);
    if (pathname.startsWith(prefix)) return pathname;
  }
  throw new Error(`No ${prefix} link in this email`);
}
