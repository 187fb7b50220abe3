/**
 * Outgoing mail. SMTP_URL set: nodemailer over SMTP (MAIL_FROM as sender). Unset outside production:
 * the dev mailbox (dev_mail table, /dev/mailbox). A failure raises MailDeliveryError, whose message is
 * safe to show; the log line never contains the message body (it may carry a one-time code).
 */
import { getDb } from "@/lib/db/client";
import { devMail } from "@/lib/db/schema";
import { isProduction } from "@/lib/config";

export type MailMessage = { to: string; subject: string; text: string; html: string };

export class MailDeliveryError extends Error {
  constructor() {
    super("We could not send the email. Please try again.");
    this.name = "MailDeliveryError";
  }
}

export const mailFrom = () => process.env.MAIL_FROM ?? "Guardian <no-reply@guardian.local>";

export async function sendMail(message: MailMessage): Promise<void> {
  const smtpUrl = process.env.SMTP_URL;
  try {
    if (smtpUrl) {
      const nodemailer = await import("nodemailer");
      const transport = nodemailer.createTransport(smtpUrl);
      await transport.sendMail({ from: mailFrom(), ...message });
      return;
    }
    if (isProduction()) throw new Error("SMTP_URL is not set in production");
    const db = await getDb();
    await db.insert(devMail).values({ from: mailFrom(), ...message });
  } catch (error) {
    console.error(`[mail] delivery to ${message.to.replace(/(.).*@/, "$1***@")} failed: ${(error as Error)?.name ?? "error"}`);
    throw new MailDeliveryError();
  }
}
