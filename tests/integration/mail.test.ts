/**
 * Mail delivery against a real SMTP server on loopback (smtp-server, parsed with mailparser), SMTP
 * failures (down, silent, refusing), and the dev mailbox (database + JSON route).
 */
import net from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as mailJson } from "@/app/api/dev/mail/route";
import { PRODUCT_NAME } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { MailDeliveryError, SMTP_TIMEOUTS, sendMail } from "@/lib/mail";
import { devMailJson, getDevMail, listDevMail, type DevMailJson } from "@/lib/mail/dev-mailbox";
import { enrolCodeEmail, invitationEmail, loginCodeEmail, securityNoticeEmail, type Email } from "@/lib/mail/templates";
import { uniqueEmail } from "./factories";

const ORG = `<b>Acme & "Co"</b>`;
const ORG_ESCAPED = "&lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt;";
const SMTP_USER = "mailer";
const SMTP_PASS = "smtp p@ss:word";
const USER_FACING = "We could not send the email. Please try again.";

type Received = { raw: string; parsed: ParsedMail; envelopeTo: string[]; user?: string };

async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: options.secure ? [] : ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          raw,
          parsed: await simpleParser(raw),
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as net.AddressInfo).port;
  return { server, port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function failure(p: Promise<unknown>) {
  const started = performance.now();
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  return { error: error as MailDeliveryError, ms: performance.now() - started };
}

const sixDigitRuns = (s: string) => s.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];

let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function useSmtp(url: string) {
  vi.stubEnv("SMTP_URL", url);
  vi.stubEnv("MAIL_FROM", "Guardian Test <mailer@guardian.test>");
}

async function deliver(email: Email) {
  const to = uniqueEmail("smtp");
  const before = smtp.received.length;
  await sendMail({ to, ...email });
  expect(smtp.received.length).toBe(before + 1);
  const got = smtp.received.at(-1)!;
  expect(got.envelopeTo).toEqual([to]);
  return got;
}

describe("sending over SMTP (smtp-server on loopback)", () => {
  const code = "472913";
  const link = "https://guardian.example/invite/tok_abcdef?x=1&y=2";
  const cases: { name: string; email: Email; secret?: string }[] = [
    { name: "login code", email: loginCodeEmail({ orgName: ORG, userName: "Ada <script>", code, minutesValid: 10 }), secret: code },
    { name: "enrolment code", email: enrolCodeEmail({ orgName: ORG, userName: "Ada", code, minutesValid: 10 }), secret: code },
    {
      name: "invitation",
      email: invitationEmail({ orgName: ORG, inviterName: "Bob & Co", userName: "Ada", link, expiresOn: new Date("2026-12-02T14:00:00Z") }),
      secret: link,
    },
    {
      name: "security notice",
      email: securityNoticeEmail({
        orgName: ORG,
        userName: "Ada",
        title: "Recovery codes regenerated",
        lines: ["New recovery codes were generated for your account.", "The old codes no longer work."],
      }),
    },
  ];

  it.each(cases)(
    "delivers the $name with a text and an HTML part, the product and the escaped organisation name",
    async ({ email, secret }) => {
      useSmtp(`smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${smtp.port}`);
      const { parsed, raw, user } = await deliver(email);
      expect(user).toBe(SMTP_USER); // credentials from the URL, percent-decoded
      expect(parsed.from?.text).toBe(`"Guardian Test" <mailer@guardian.test>`);
      expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
      expect(parsed.subject).toBe(email.subject);
      expect(parsed.subject).toContain(PRODUCT_NAME);

      const text = parsed.text!;
      const html = parsed.html as string;
      expect(text).toContain(PRODUCT_NAME);
      expect(text).toContain(ORG); // plain text carries the name as is
      expect(html).toContain(PRODUCT_NAME);
      expect(html).toContain(ORG_ESCAPED);
      expect(html).not.toContain("<b>Acme");
      expect(html).not.toContain("<script>");

      // No secret but the one the message exists to carry; no configuration secret either.
      for (const s of [process.env.NEXTAUTH_SECRET!, process.env.ENCRYPTION_KEY!, SMTP_PASS, encodeURIComponent(SMTP_PASS)]) {
        expect(raw).not.toContain(s);
      }
      if (secret === code) {
        expect(sixDigitRuns(text)).toEqual([code]);
        expect(text).toMatch(new RegExp(`^\\s*${code}\\s*$`, "m")); // alone on its line
        expect(sixDigitRuns(html.replace(/#[0-9a-f]{6}\b/gi, ""))).toEqual([code]); // colours aside
        expect(parsed.subject).not.toContain(code);
      } else {
        expect(sixDigitRuns(text)).toEqual([]);
      }
      if (secret === link) {
        expect(text).toContain(link);
        expect(html).toContain(`href="https://guardian.example/invite/tok_abcdef?x=1&amp;y=2"`);
      }
    },
  );

  it("sends over smtps:// (TLS from the first byte)", async () => {
    const tls = await startSmtp({ secure: true });
    try {
      useSmtp(`smtps://127.0.0.1:${tls.port}?tls.rejectUnauthorized=false`);
      await sendMail({
        to: uniqueEmail("tls"),
        ...securityNoticeEmail({ orgName: "Acme", userName: "Ada", title: "Test", lines: ["Over TLS."] }),
      });
      expect(tls.received).toHaveLength(1);
      expect(tls.received[0]!.parsed.text).toContain("Over TLS.");
    } finally {
      await tls.close();
    }
  });

  it("fails fast with the user-safe error when the SMTP server is down, and logs no code", async () => {
    useSmtp(`smtp://127.0.0.1:${await closedPort()}`);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const to = uniqueEmail("down");
    const { error, ms } = await failure(
      sendMail({ to, ...loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "583920", minutesValid: 10 }) }),
    );
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error.message).toBe(USER_FACING);
    expect(ms).toBeLessThan(3000);
    const logged = errors.mock.calls.flat().map(String).join("\n");
    expect(logged).toMatch(/\[mail\] delivery to .* failed: .*ECONNREFUSED/);
    expect(logged).not.toContain("583920");
    expect(logged).not.toContain(to);
  });

  it("gives up on a server that accepts the connection but never greets (timeouts bounded)", async () => {
    expect(Math.max(SMTP_TIMEOUTS.connectionTimeout, SMTP_TIMEOUTS.greetingTimeout, SMTP_TIMEOUTS.dnsTimeout)).toBeLessThanOrEqual(5000);
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      useSmtp(`smtp://127.0.0.1:${port}?greetingTimeout=300`); // URL parameters override the defaults
      vi.spyOn(console, "error").mockImplementation(() => {});
      const { error, ms } = await failure(sendMail({ to: uniqueEmail("silent"), subject: "s", text: "t", html: "<p>h</p>" }));
      expect(error).toBeInstanceOf(MailDeliveryError);
      expect(ms).toBeLessThan(2000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it("turns a refused recipient into the user-safe error, logging the SMTP status but not the code", async () => {
    const refusing = await startSmtp({
      onRcptTo(_address, _session, callback) {
        const e = new Error("Mailbox unavailable 583920") as Error & { responseCode: number };
        e.responseCode = 550;
        callback(e);
      },
    });
    try {
      useSmtp(`smtp://127.0.0.1:${refusing.port}`);
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      const { error } = await failure(
        sendMail({ to: uniqueEmail("refused"), ...loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "583920", minutesValid: 10 }) }),
      );
      expect(error).toBeInstanceOf(MailDeliveryError);
      expect(error.message).toBe(USER_FACING);
      const logged = errors.mock.calls.flat().map(String).join("\n");
      expect(logged).toContain("550");
      expect(logged).not.toContain("583920"); // not even when the server's answer quotes it
      expect(refusing.received).toHaveLength(0);
    } finally {
      await refusing.close();
    }
  });
});

describe("dev mailbox (no SMTP_URL outside production)", () => {
  it("stores each message, lists a recipient's mail newest first, case-insensitively, after an id", async () => {
    vi.stubEnv("SMTP_URL", "");
    const db = await getDb();
    const to = uniqueEmail("devbox");
    const other = uniqueEmail("devbox-other");
    for (const [i, address] of [to, other, to, to.toUpperCase()].entries()) {
      await sendMail({ to: address, ...securityNoticeEmail({ orgName: "Acme", userName: "Ada", title: `Notice ${i}`, lines: ["x"] }) });
    }
    const mine = await listDevMail(db, { to: to.toUpperCase() });
    expect(mine.map((m) => m.subject)).toEqual([3, 2, 0].map((i) => `${PRODUCT_NAME} security notice: Notice ${i}`));
    expect(mine[0]!.id).toBeGreaterThan(mine[1]!.id);
    expect(mine[0]!.from).toBe("Guardian <no-reply@guardian.local>");
    expect(mine[0]!.text).toContain("Notice 3");
    expect(mine[0]!.html).toContain("<h1");
    expect((await listDevMail(db, { to, limit: 1 })).map((m) => m.id)).toEqual([mine[0]!.id]);
    expect((await listDevMail(db, { to, after: mine[1]!.id })).map((m) => m.id)).toEqual([mine[0]!.id]);
    expect(await listDevMail(db, { to: uniqueEmail("nobody") })).toEqual([]);
    expect((await getDevMail(db, mine[2]!.id))?.subject).toContain("Notice 0");
    expect(await getDevMail(db, 0)).toBeNull();
    expect(devMailJson(mine[0]!).createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("answers JSON at /api/dev/mail: newest first, filtered, with every field; 400 on a bad query", async () => {
    vi.stubEnv("SMTP_URL", "");
    const to = uniqueEmail("json");
    await sendMail({ to, ...loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "111111", minutesValid: 10 }) });
    await sendMail({ to, ...loginCodeEmail({ orgName: "Acme", userName: "Ada", code: "222222", minutesValid: 10 }) });
    const res = await mailJson(new Request(`http://localhost/api/dev/mail?to=${encodeURIComponent(to)}&limit=5`));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const items = (await res.json()) as DevMailJson[];
    expect(items).toHaveLength(2);
    expect(Object.keys(items[0]!).sort()).toEqual(["createdAt", "from", "html", "id", "subject", "text", "to"]);
    expect(items[0]!.text).toContain("222222");
    expect(items[1]!.text).toContain("111111");
    const after = await mailJson(new Request(`http://localhost/api/dev/mail?to=${encodeURIComponent(to)}&after=${items[1]!.id}`));
    expect(((await after.json()) as DevMailJson[]).map((m) => m.id)).toEqual([items[0]!.id]);
    const unknown = await mailJson(new Request(`http://localhost/api/dev/mail?to=${uniqueEmail("none")}`));
    expect(await unknown.json()).toEqual([]);
    expect((await mailJson(new Request("http://localhost/api/dev/mail?limit=abc"))).status).toBe(400);
    expect((await mailJson(new Request("http://localhost/api/dev/mail?limit=1000"))).status).toBe(400);
  });

  it("is closed in production: the JSON answers 404, and without SMTP_URL sending fails and stores nothing", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("SMTP_URL", "");
    vi.spyOn(console, "error").mockImplementation(() => {});
    const to = uniqueEmail("prod");
    const { error } = await failure(sendMail({ to, subject: "s", text: "t", html: "<p>h</p>" }));
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect((await mailJson(new Request(`http://localhost/api/dev/mail?to=${to}`))).status).toBe(404);
    vi.unstubAllEnvs();
    expect(await listDevMail(await getDb(), { to })).toEqual([]);
  });

  it("is closed in production: the mailbox layout and pages answer 404", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const { default: DevLayout } = await import("@/app/dev/layout");
    const { default: MailboxPage } = await import("@/app/dev/mailbox/page");
    const { default: MessagePage } = await import("@/app/dev/mailbox/[id]/page");
    const renders = [
      () => DevLayout({ children: null }),
      () => MailboxPage({ searchParams: Promise.resolve({}) }),
      () => MessagePage({ params: Promise.resolve({ id: "1" }) }),
    ];
    for (const render of renders) {
      const error = await Promise.resolve()
        .then(render)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect((error as { digest?: string } | null)?.digest).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
    }
  });
});
