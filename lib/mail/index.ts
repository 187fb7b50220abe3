/**
 * Outgoing mail. SMTP_URL set: nodemailer over SMTP (MAIL_FROM as sender). Unset outside production:
 * the dev mailbox (dev_mail table, /dev/mailbox). A failure raises MailDeliveryError, whose message is
 * safe to show; the log line never contains the message body (it may carry a one-time code).
 * Build messages with lib/mail/templates.ts (HTML + text part, product and organisation name).
 */
import { getSystemErrorName } from "node:util";
import type { Transporter } from "nodemailer";
import { devMailboxEnabled } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeDevMail } from "./dev-mailbox";

export type MailMessage = { to: string; subject: string; text: string; html: string };

/** An AppError, so the server-action wrapper shows its message as is. */
export class MailDeliveryError extends AppError {
  constructor() {
    super("unavailable", "We could not send the email. Please try again.");
    this.name = "MailDeliveryError";
  }
}

export const mailFrom = () => process.env.MAIL_FROM ?? "Guardian <no-reply@guardian.local>";

/**
 * Fail fast when the SMTP server is down or silent, so the user gets an answer in seconds. Query
 * parameters of SMTP_URL override these (e.g. `?greetingTimeout=20000`, `?pool=true`).
 */
export const SMTP_TIMEOUTS = { dnsTimeout: 5_000, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 };

/** One transport per SMTP_URL, reused across messages (a new URL, e.g. in tests, replaces it). */
let cachedTransport: { url: string; transport: Transporter } | undefined;

async function smtpTransport(url: string): Promise<Transporter> {
  if (cachedTransport?.url === url) return cachedTransport.transport;
  const nodemailer = await import("nodemailer");
  const { parseConnectionUrl } = await import("nodemailer/lib/shared");
  // createTransport({url, ...}) would drop every other option: parse the URL and merge ourselves.
  const transport = nodemailer.createTransport({ ...SMTP_TIMEOUTS, ...parseConnectionUrl(url) });
  cachedTransport?.transport.close();
  cachedTransport = { url, transport };
  return transport;
}

const maskAddress = (to: string) => to.replace(/(.).*@/, "$1***@");

/**
 * The kind of failure only, e.g. "Error ESOCKET ECONNREFUSED at CONN" or "Error EENVELOPE 550 at RCPT TO":
 * nodemailer's code, the system error, the SMTP status and stage. Never a message text (a server's
 * answer may quote what it was sent).
 */
function failureKind(error: unknown): string {
  const e = error as { name?: string; code?: unknown; errno?: unknown; responseCode?: unknown; command?: unknown } | undefined;
  let system: string | null = null;
  if (typeof e?.errno === "number" && e.errno < 0) {
    try {
      system = getSystemErrorName(e.errno);
    } catch {
      system = null;
    }
  }
  const parts = [
    e?.name ?? "error",
    typeof e?.code === "string" ? e.code : null,
    system,
    typeof e?.responseCode === "number" ? String(e.responseCode) : null,
    typeof e?.command === "string" ? `at ${e.command.slice(0, 20)}` : null,
  ];
  return parts.filter(Boolean).join(" ");
}

export async function sendMail(message: MailMessage): Promise<void> {
  const smtpUrl = process.env.SMTP_URL;
  const { to, subject, text, html } = message;
  if (!smtpUrl && !devMailboxEnabled()) {
    console.error("[mail] SMTP_URL is not set: mail cannot be sent in production");
    throw new MailDeliveryError();
  }
  try {
    if (smtpUrl) {
      const transport = await smtpTransport(smtpUrl);
      await transport.sendMail({ from: mailFrom(), to, subject, text, html });
      return;
    }
    await storeDevMail(await getDb(), { from: mailFrom(), to, subject, text, html });
  } catch (error) {
    console.error(`[mail] delivery to ${maskAddress(to)} failed: ${failureKind(error)}`);
    throw new MailDeliveryError();
  }
}
