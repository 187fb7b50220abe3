/**
 * Every email the product sends, as {subject, text, html} for sendMail(). One layout for all of them:
 * the product name and the organisation in the header, the same footer, a plain-text part that says
 * the same as the HTML part. Every interpolated value is HTML-escaped (names come from users).
 *
 * A message carries no secret other than the one it exists to deliver (the one-time code, the
 * invitation link). Callers of securityNoticeEmail(): never put a code, token or password in `lines`.
 */
import { PRODUCT_NAME } from "@/lib/config";

export type Email = { subject: string; text: string; html: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** One line, no control characters: safe for a subject and a heading. */
export function oneLine(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The building blocks of a message body; each renders to HTML (escaped) and to plain text. */
export type Block =
  | { kind: "p"; text: string }
  | { kind: "code"; code: string }
  | { kind: "button"; label: string; href: string }
  | { kind: "list"; items: string[] }
  | { kind: "note"; text: string };

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "p":
      return `<p style="margin:0 0 16px;font-size:15px;line-height:1.55;">${escapeHtml(block.text)}</p>`;
    case "code":
      return (
        `<p style="margin:8px 0 20px;"><span data-code style="display:inline-block;padding:12px 20px;border-radius:8px;` +
        `background:#eff6ff;border:1px solid #bfdbfe;color:#1e3a8a;font-family:ui-monospace,Menlo,Consolas,monospace;` +
        `font-size:28px;font-weight:700;letter-spacing:6px;">${escapeHtml(block.code)}</span></p>`
      );
    case "button":
      return (
        `<p style="margin:8px 0 20px;"><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:10px 18px;` +
        `border-radius:6px;background:#1d4ed8;color:#ffffff;font-weight:600;font-size:15px;text-decoration:none;">` +
        `${escapeHtml(block.label)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#475569;">Or paste this link into your browser:<br>` +
        `<a href="${escapeHtml(block.href)}" style="color:#1d4ed8;word-break:break-all;">${escapeHtml(block.href)}</a></p>`
      );
    case "list":
      return (
        `<ul style="margin:0 0 16px;padding-left:20px;font-size:15px;line-height:1.55;">` +
        block.items.map((item) => `<li style="margin:0 0 4px;">${escapeHtml(item)}</li>`).join("") +
        `</ul>`
      );
    case "note":
      return (
        `<p style="margin:0 0 16px;padding:10px 14px;border-radius:6px;background:#f8fafc;border:1px solid #e2e8f0;` +
        `font-size:13px;line-height:1.5;color:#334155;">${escapeHtml(block.text)}</p>`
      );
  }
}

function blockText(block: Block): string {
  switch (block.kind) {
    case "p":
    case "note":
      return block.text;
    case "code":
      // Alone on its line, so people (and e2e/helpers/mailbox.ts) can pick it out.
      return `    ${block.code}`;
    case "button":
      return `${block.label}:\n${block.href}`;
    case "list":
      return block.items.map((item) => `  - ${item}`).join("\n");
  }
}

/**
 * `orgName` null: a message to an address with no account (no organisation in the header). `footer`
 * replaces the default "You receive this email because …" line.
 */
type Layout = { orgName: string | null; subject: string; heading: string; preheader: string; blocks: Block[]; footer?: string };

/** The shared layout; other modules build their own messages with it (account-templates.ts, reset-templates.ts). */
export function render({ orgName, subject, heading, preheader, blocks, footer: customFooter }: Layout): Email {
  const org = orgName === null ? null : oneLine(orgName);
  const footer =
    customFooter ??
    (org === null
      ? `You receive this email because someone entered this address on ${PRODUCT_NAME}.`
      : `You receive this email because you have an account at ${org} on ${PRODUCT_NAME}.`);
  const cleanSubject = oneLine(subject);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(cleanSubject)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f1f5f9;color:#0f172a;font-family:${FONT};">` +
    `<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(preheader)}</div>` +
    `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#f1f5f9;"><tr>` +
    `<td align="center" style="padding:24px 12px;">` +
    `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:560px;background:#ffffff;` +
    `border:1px solid #e2e8f0;border-radius:12px;">` +
    `<tr><td style="padding:18px 28px;border-bottom:1px solid #e2e8f0;font-size:15px;">` +
    `<span style="display:inline-block;width:24px;height:24px;line-height:24px;text-align:center;border-radius:6px;` +
    `background:#1d4ed8;color:#ffffff;font-weight:700;margin-right:8px;">&#10003;</span>` +
    `<strong>${escapeHtml(PRODUCT_NAME)}</strong>` +
    (org === null ? "" : `<span style="color:#64748b;"> &middot; ${escapeHtml(org)}</span>`) +
    `</td></tr>` +
    `<tr><td style="padding:28px;">` +
    `<h1 style="margin:0 0 18px;font-size:20px;line-height:1.3;">${escapeHtml(oneLine(heading))}</h1>` +
    blocks.map(blockHtml).join("") +
    `</td></tr>` +
    `<tr><td style="padding:16px 28px;border-top:1px solid #e2e8f0;font-size:12px;line-height:1.5;color:#64748b;">` +
    `${escapeHtml(footer)}</td></tr>` +
    `</table></td></tr></table></body></html>`;
  const text = [
    org === null ? PRODUCT_NAME : `${PRODUCT_NAME} · ${org}`,
    "",
    oneLine(heading),
    "",
    blocks.map(blockText).join("\n\n"),
    "",
    "--",
    footer,
    "",
  ].join("\n");
  return { subject: cleanSubject, text, html };
}

export const greeting = (userName: string): Block => ({ kind: "p", text: `Hi ${oneLine(userName)},` });

type CodeEmailInput = { orgName: string; userName: string; code: string; minutesValid: number };

function assertCode(code: string) {
  if (!/^\d{6}$/.test(code)) throw new Error("A one-time code is six digits.");
}

/** The code for the second step of a login (email as the second factor). */
export function loginCodeEmail({ orgName, userName, code, minutesValid }: CodeEmailInput): Email {
  assertCode(code);
  return render({
    orgName,
    subject: `Your ${PRODUCT_NAME} sign-in code for ${orgName}`,
    heading: "Your sign-in code",
    preheader: `Finish signing in to ${orgName}. The code expires in ${minutesValid} minutes.`,
    blocks: [
      greeting(userName),
      { kind: "p", text: `Enter this code to finish signing in to ${oneLine(orgName)}:` },
      { kind: "code", code },
      { kind: "p", text: `It expires in ${minutesValid} minutes and works once. Asking for a new code replaces this one.` },
      {
        kind: "note",
        text:
          "Did not try to sign in? Someone may know your password: change it and tell your organisation's admin. " +
          `Never share this code: ${PRODUCT_NAME} and your admin will never ask you for it.`,
      },
    ],
  });
}

/** The code that confirms an email address as a second factor during enrolment. */
export function enrolCodeEmail({ orgName, userName, code, minutesValid }: CodeEmailInput): Email {
  assertCode(code);
  return render({
    orgName,
    subject: `Confirm email codes for ${orgName} on ${PRODUCT_NAME}`,
    heading: "Confirm your email for two-factor authentication",
    preheader: `Your confirmation code expires in ${minutesValid} minutes.`,
    blocks: [
      greeting(userName),
      {
        kind: "p",
        text: `Enter this code to turn on email codes as a second factor for your ${oneLine(orgName)} account:`,
      },
      { kind: "code", code },
      { kind: "p", text: `It expires in ${minutesValid} minutes and works once.` },
      {
        kind: "note",
        text:
          "Did not ask for this? Someone may be signed in as you: change your password and tell your organisation's admin. " +
          "Never share this code.",
      },
    ],
  });
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/** "27 November 2026 at 14:00 UTC" for a Date; a string is taken as already formatted. */
export function formatMailDate(value: Date | string): string {
  return typeof value === "string" ? oneLine(value) : `${dateFormat.format(value)} UTC`;
}

/** An invitation to join an organisation; `link` carries the invitation token (http or https only). */
export function invitationEmail({
  orgName,
  inviterName,
  userName,
  link,
  expiresOn,
}: {
  orgName: string;
  inviterName: string;
  userName: string;
  link: string;
  expiresOn: Date | string;
}): Email {
  const url = new URL(link);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("An invitation link must be http(s).");
  const inviter = oneLine(inviterName);
  const org = oneLine(orgName);
  return render({
    orgName,
    subject: `${inviter} invited you to ${org} on ${PRODUCT_NAME}`,
    heading: `Join ${org} on ${PRODUCT_NAME}`,
    preheader: `${inviter} invited you. Choose a password to activate your account.`,
    blocks: [
      greeting(userName),
      { kind: "p", text: `${inviter} invited you to join ${org} on ${PRODUCT_NAME}. Choose a password to activate your account.` },
      { kind: "button", label: "Accept the invitation", href: url.href },
      { kind: "p", text: `The link works once and expires on ${formatMailDate(expiresOn)}.` },
      { kind: "note", text: "Not expecting this invitation? You can ignore this email; no account is activated without you." },
    ],
  });
}

/**
 * A security notice: 2FA turned on or off, a factor added or removed, recovery codes regenerated or
 * used, 2FA removed by an admin, a new remembered device, a lockout. `lines` are paragraphs (no
 * secrets); `footer` replaces the default "wasn't you?" advice.
 */
export function securityNoticeEmail({
  orgName,
  userName,
  title,
  lines,
  footer,
}: {
  orgName: string;
  userName: string;
  title: string;
  lines: string[];
  footer?: string;
}): Email {
  return render({
    orgName,
    subject: `${PRODUCT_NAME} security notice: ${title}`,
    heading: title,
    preheader: lines[0] ?? title,
    blocks: [
      greeting(userName),
      ...lines.map((text): Block => ({ kind: "p", text })),
      {
        kind: "note",
        text: footer ?? "If this wasn't you, change your password now and contact your organisation's admin.",
      },
    ],
  });
}
