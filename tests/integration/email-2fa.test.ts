/**
 * Email as a second factor, against a real SMTP server on loopback (smtp-server, parsed with
 * mailparser): enrolment, login codes (single-use, expiring, bound to the challenge, replaced by a
 * resend, 30-second cooldown), SMTP failures that change nothing, the failed-attempt budget shared with
 * TOTP, and concurrent use of one code.
 */
import net from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MFA_LIMIT } from "@/lib/attempts";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { auditEvents, emailCodes, loginChallenges, mfaFactors, recoveryCodes, type organizations, type users } from "@/lib/db/schema";
import { MailDeliveryError } from "@/lib/mail";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import type { MfaActor } from "@/lib/mfa/actor";
import { EMAIL_ALREADY_SET_UP, EMAIL_NOT_ALLOWED, EmailCooldownError, WRONG_EMAIL_CODE } from "@/lib/mfa/email-codes";
import { confirmEmailEnrolment, startEmailEnrolment } from "@/lib/mfa/email-enrolment";
import { loginEmailStatus, sendLoginEmailCode, verifyEmailLogin } from "@/lib/mfa/email-login";
import { maskEmail } from "@/lib/mfa/email-shared";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { listFactors, usableFactors } from "@/lib/mfa/factors";
import { REQUIRED_BY_ADMIN_MESSAGE, removeFactor } from "@/lib/mfa/manage";
import { currentTotp } from "@/lib/mfa/totp";
import { LOCKED_MESSAGE, WRONG_TOTP, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, expectOpenedSession, meta, orgWithAdmin, rejection, sessionRows } from "./factories";

type User = typeof users.$inferSelect;
type Org = typeof organizations.$inferSelect;
type Received = { raw: string; parsed: ParsedMail; to: string };

const USER_FACING = "We could not send the email. Please try again.";
const actorOf = (user: User, org: Org, sessionId?: string): MfaActor => ({ ...user, org, sessionId });

const received: Received[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
        for (const r of session.envelope.rcptTo) received.push({ raw, parsed, to: r.address });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${port}`);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A port with nothing listening on it: "SMTP down". */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function smtpDown<T>(run: () => Promise<T>) {
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${await closedPort()}`);
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const error = await run().then(
      () => null,
      (e: unknown) => e,
    );
    return { error: error as MailDeliveryError, logged: errors.mock.calls.flat().map(String).join("\n") };
  } finally {
    errors.mockRestore();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${port}`);
  }
}

const mailsTo = (to: string) => received.filter((m) => m.to === to);
const codeIn = (m: Received) => {
  const code = m.parsed.text?.match(/^\s*(\d{6})\s*$/m)?.[1];
  expect(code, "a six-digit code alone on a line of the text part").toBeTruthy();
  return code!;
};
/** The code of the newest message to `to` whose subject matches. */
function latestCode(to: string, subject: RegExp) {
  const mail = mailsTo(to)
    .filter((m) => subject.test(m.parsed.subject ?? ""))
    .at(-1);
  expect(mail, `a message "${subject}" to ${to}`).toBeTruthy();
  return codeIn(mail!);
}
const SIGN_IN = /sign-in code/;
const ENROL = /Confirm email codes/;

/** Makes the user's codes look older than the cooldown (the test must not sleep 30 s). */
async function pastCooldown(userId: string) {
  const db = await getDb();
  await db
    .update(emailCodes)
    .set({ sentAt: sql`${emailCodes.sentAt} - interval '31 seconds'` })
    .where(eq(emailCodes.userId, userId));
}

async function codeRows(userId: string) {
  return (await getDb()).select().from(emailCodes).where(eq(emailCodes.userId, userId));
}

async function emailUser(values: Partial<User> = {}, orgValues: Partial<Org> = {}) {
  const db = await getDb();
  const { org } = await orgWithAdmin(orgValues);
  const user = await createUser(org.id, values);
  const started = await startEmailEnrolment(db, actorOf(user, org), { name: "Work email" });
  const confirmed = await confirmEmailEnrolment(
    db,
    actorOf(user, org),
    { factorId: started.factorId, code: latestCode(user.email, ENROL) },
    meta,
  );
  return { user, org, factorId: started.factorId, recoveryCodes: confirmed.recoveryCodes };
}

async function pendingChallenge(email: string) {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password: PASSWORD }, meta);
  expect(next).toBe("mfa");
  return { token, challenge: (await findChallenge(db, token))! };
}

describe("enrolling email codes", () => {
  it("emails a code (text and HTML), stores only its hash, turns on with it once, with recovery codes and a notice", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id, { name: "Ada <Lovelace>" });
    const actor = actorOf(user, org);

    const started = await startEmailEnrolment(db, actor, { name: "Email" });
    expect(started.maskedEmail).toBe(maskEmail(user.email));
    const [mail] = mailsTo(user.email);
    expect(mail!.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail!.parsed.subject).toMatch(ENROL);
    const code = codeIn(mail!);
    expect(mail!.parsed.html).toContain(code);
    expect(mail!.parsed.html).toContain("Ada &lt;Lovelace&gt;");

    const rows = await codeRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: "enrol", factorId: started.factorId, challengeId: null, consumedAt: null });
    expect(JSON.stringify(rows)).not.toContain(code);
    const ttl = rows[0]!.expiresAt.getTime() - rows[0]!.sentAt.getTime();
    expect(ttl).toBe(10 * 60 * 1000);

    // Pending: not a factor yet, the password alone still signs in.
    expect(await usableFactors(db, user, org)).toHaveLength(0);
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).next).toBe("done");

    const wrong = await rejection(
      confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: code === "000000" ? "111111" : "000000" }, meta),
    );
    expect(wrong.fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);
    const confirmed = await confirmEmailEnrolment(db, actor, { factorId: started.factorId, code }, meta);
    expect(confirmed.first).toBe(true);
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(10);
    expect((await listFactors(db, user.id)).map((f) => [f.type, f.name])).toEqual([["email", "Email"]]);
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).next).toBe("mfa");

    // The code worked once; setting up a second email factor is refused.
    await rejection(confirmEmailEnrolment(db, actor, { factorId: started.factorId, code }, meta));
    expect((await rejection(startEmailEnrolment(db, actor, { name: "Again" }))).message).toBe(EMAIL_ALREADY_SET_UP);

    // S25: a security notice, without the code.
    const notice = mailsTo(user.email).at(-1)!;
    expect(notice.parsed.subject).toMatch(/Two-factor authentication is on/);
    expect(notice.parsed.text).toMatch(/email codes/i);
    expect(notice.raw).not.toContain(code);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.factor.added")));
    expect(event!.detail).toMatchObject({ type: "email", name: "Email", first: true });
  });

  it("a resend replaces the code and waits out the 30-second cooldown", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const actor = actorOf(user, org);
    const first = await startEmailEnrolment(db, actor, { name: "Email" });
    const oldCode = latestCode(user.email, ENROL);
    const early = await rejection(startEmailEnrolment(db, actor, { name: "Email" }));
    expect(early).toBeInstanceOf(EmailCooldownError);
    expect(early.message).toMatch(/in (30|29|28) seconds/);
    expect(mailsTo(user.email)).toHaveLength(1);

    await pastCooldown(user.id);
    const second = await startEmailEnrolment(db, actor, { name: "Personal mail" });
    expect(second.factorId).toBe(first.factorId); // the same pending set-up
    const newCode = latestCode(user.email, ENROL);
    expect(await codeRows(user.id)).toHaveLength(1);
    if (oldCode !== newCode) {
      const stale = await rejection(confirmEmailEnrolment(db, actor, { factorId: first.factorId, code: oldCode }, meta));
      expect(stale.fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);
    }
    const done = await confirmEmailEnrolment(db, actor, { factorId: first.factorId, code: newCode }, meta);
    expect(done.factorName).toBe("Personal mail");
  });

  it("SMTP down: the clear error, nothing left behind (no factor, no code, no cooldown), and a later send works", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const actor = actorOf(user, org);
    const { error, logged } = await smtpDown(() => startEmailEnrolment(db, actor, { name: "Email" }));
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error.message).toBe(USER_FACING);
    expect(logged).toMatch(/\[mail\] delivery to .* failed/);
    expect(logged).not.toMatch(/(?<!\d)\d{6}(?!\d)/); // no code in the log
    expect(await codeRows(user.id)).toHaveLength(0);
    expect(await db.select().from(mfaFactors).where(eq(mfaFactors.userId, user.id))).toHaveLength(0);

    const started = await startEmailEnrolment(db, actor, { name: "Email" }); // at once: no cooldown held
    await confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: latestCode(user.email, ENROL) }, meta);
    expect(await listFactors(db, user.id)).toHaveLength(1);
  });

  it("is refused when the organisation does not allow email, and wrong codes are limited", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin({ allowEmail: false });
    const user = await createUser(org.id);
    expect((await rejection(startEmailEnrolment(db, actorOf(user, org), { name: "Email" }))).message).toBe(EMAIL_NOT_ALLOWED);
    expect(mailsTo(user.email)).toHaveLength(0);

    const open = await orgWithAdmin();
    const other = await createUser(open.org.id);
    const actor = actorOf(other, open.org);
    const started = await startEmailEnrolment(db, actor, { name: "Email" });
    const code = latestCode(other.email, ENROL);
    const wrong = code === "123456" ? "654321" : "123456";
    for (let i = 0; i < 10; i++) await rejection(confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: wrong }, meta));
    const limited = await rejection(confirmEmailEnrolment(db, actor, { factorId: started.factorId, code }, meta));
    expect(limited.code).toBe("rate_limited");
    // Another user cannot confirm someone else's set-up.
    const stranger = await createUser(open.org.id);
    expect(
      (await rejection(confirmEmailEnrolment(db, actorOf(stranger, open.org), { factorId: started.factorId, code }, meta))).fieldErrors
        ?.code?.[0],
    ).toBe(WRONG_EMAIL_CODE);
  });

  it("a second factor brings no new recovery codes; removal needs the password, follows the 2FA rules and sends notices", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const actor = actorOf(user, org);
    const totp = await startTotpEnrolment(db, actor);
    const withTotp = await confirmTotpEnrolment(
      db,
      actor,
      { factorId: totp.factorId, name: "Phone", code: await currentTotp(totp.secret) },
      meta,
    );
    const started = await startEmailEnrolment(db, actor, { name: "Email" });
    const added = await confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: latestCode(user.email, ENROL) }, meta);
    expect(added.first).toBe(false);
    expect(added.recoveryCodes).toBeNull();
    expect(mailsTo(user.email).at(-1)!.parsed.subject).toMatch(/A second factor was added/);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(withTotp.recoveryCodes!.length);

    const current = await createSession(db, { userId: user.id, orgId: org.id, method: "email" });
    const other = await createSession(db, { userId: user.id, orgId: org.id, method: "email" });
    const bad = await rejection(
      removeFactor(db, actorOf(user, org, current), { factorId: started.factorId, password: "wrong password" }, meta),
    );
    expect(bad.fieldErrors?.password?.[0]).toBe("Incorrect password.");
    await removeFactor(db, actorOf(user, org, current), { factorId: started.factorId, password: PASSWORD }, meta);
    expect((await listFactors(db, user.id)).map((f) => f.type)).toEqual(["totp"]);
    expect(mailsTo(user.email).at(-1)!.parsed.subject).toMatch(/A second factor was removed/);
    expect(await validateSession(db, { uid: user.id, sid: other, ver: user.sessionVersion })).toBeNull();

    // The last factor, with 2FA required by the admin: refused.
    const enforced = await emailUser({ mfaEnforced: true });
    const refused = await rejection(
      removeFactor(db, actorOf(enforced.user, enforced.org), { factorId: enforced.factorId, password: PASSWORD }, meta),
    );
    expect(refused.message).toBe(REQUIRED_BY_ADMIN_MESSAGE);
    expect(await listFactors(db, enforced.user.id)).toHaveLength(1);
    // Not required: removing the last factor turns 2FA off.
    const optional = await emailUser();
    const off = await removeFactor(db, actorOf(optional.user, optional.org), { factorId: optional.factorId, password: PASSWORD }, meta);
    expect(off.mfaOff).toBe(true);
    expect(mailsTo(optional.user.email).at(-1)!.parsed.subject).toMatch(/Two-factor authentication is off/);
  });
});

describe("signing in with an emailed code", () => {
  it("sends once when the screen opens; the code works once, only for this login, and makes the session", async () => {
    const db = await getDb();
    const { user } = await emailUser();
    const { token, challenge } = await pendingChallenge(user.email);
    expect(await loginEmailStatus(db, challenge)).toEqual({ maskedEmail: maskEmail(user.email), codeSent: false });
    const before = mailsTo(user.email).length;

    // Two "screen opened" calls at once (a reload, React's double effects): one email.
    const opened = await Promise.all([
      sendLoginEmailCode(db, challenge, { mode: "auto" }),
      sendLoginEmailCode(db, challenge, { mode: "auto" }),
    ]);
    expect(opened.map((r) => r.sent).sort()).toEqual([false, true]);
    expect(mailsTo(user.email)).toHaveLength(before + 1);
    const mail = mailsTo(user.email).at(-1)!;
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.parsed.subject).toMatch(SIGN_IN);
    const code = codeIn(mail);
    expect(mail.parsed.html).toContain(code);
    expect(mail.parsed.subject).not.toContain(code);
    expect((await loginEmailStatus(db, challenge))?.codeSent).toBe(true);
    const [row] = await codeRows(user.id).then((rows) => rows.filter((r) => r.purpose === "login"));
    expect(row).toMatchObject({ challengeId: challenge.challenge.id, consumedAt: null });
    expect(JSON.stringify(row)).not.toContain(code);

    // Bound to its challenge: useless on another login of the same user.
    const other = await pendingChallenge(user.email);
    expect((await rejection(verifyEmailLogin(db, other.challenge, { code }, meta))).fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);

    expect(await consumeChallenge(db, token, meta)).toBeNull(); // no session before the code
    expect(await sessionRows(user.id)).toHaveLength(0);
    const verified = await verifyEmailLogin(db, challenge, { code: `${code.slice(0, 3)} ${code.slice(3)}` }, meta);
    expect(verified.rememberedDevice).toBeNull();
    // The code makes the session, and the challenge is spent with it.
    await expectOpenedSession(verified.session, { userId: user.id, method: "email", challengeToken: token });
    expect(await sessionRows(user.id)).toHaveLength(1);
    // Single use.
    await rejection(verifyEmailLogin(db, other.challenge, { code }, meta));
    const [used] = await codeRows(user.id).then((rows) => rows.filter((r) => r.challengeId === challenge.challenge.id));
    expect(used!.consumedAt).not.toBeNull();
  });

  it("refuses an expired code", async () => {
    const db = await getDb();
    const { user } = await emailUser();
    const { challenge } = await pendingChallenge(user.email);
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const code = latestCode(user.email, SIGN_IN);
    await db
      .update(emailCodes)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(emailCodes.challengeId, challenge.challenge.id));
    const e = await rejection(verifyEmailLogin(db, challenge, { code }, meta));
    expect(e.fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);
    expect((await db.select().from(loginChallenges).where(eq(loginChallenges.id, challenge.challenge.id)))[0]!.completedAt).toBeNull();
  });

  it("a resend within 30 seconds is refused with the seconds left; after it, the new code replaces the old one", async () => {
    const db = await getDb();
    const { user } = await emailUser();
    const { token, challenge } = await pendingChallenge(user.email);
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const oldCode = latestCode(user.email, SIGN_IN);
    const count = mailsTo(user.email).length;

    const early = await rejection(sendLoginEmailCode(db, challenge, { mode: "resend" }));
    expect(early).toBeInstanceOf(EmailCooldownError);
    expect((early as EmailCooldownError).retryAfterSeconds).toBeGreaterThan(25);
    expect(early.message).toMatch(/^A code was sent moments ago: use it, or ask for a new one in \d+ seconds\.$/);
    // A new login does not get around the cooldown either.
    const again = await pendingChallenge(user.email);
    expect(await rejection(sendLoginEmailCode(db, again.challenge, { mode: "auto" }))).toBeInstanceOf(EmailCooldownError);
    expect(mailsTo(user.email)).toHaveLength(count);

    await pastCooldown(user.id);
    await expect(sendLoginEmailCode(db, challenge, { mode: "resend" })).resolves.toMatchObject({ sent: true });
    const newCode = latestCode(user.email, SIGN_IN);
    expect(mailsTo(user.email)).toHaveLength(count + 1);
    expect((await codeRows(user.id)).filter((r) => r.challengeId === challenge.challenge.id)).toHaveLength(1);
    if (oldCode !== newCode) {
      expect((await rejection(verifyEmailLogin(db, challenge, { code: oldCode }, meta))).fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);
    }
    const { session } = await verifyEmailLogin(db, challenge, { code: newCode }, meta);
    await expectOpenedSession(session, { userId: user.id, method: "email", challengeToken: token });
  });

  it("SMTP down: the clear error, the challenge and any earlier code stay as they were, and a later send works", async () => {
    const db = await getDb();
    const { user } = await emailUser();
    const { token, challenge } = await pendingChallenge(user.email);

    // First send fails: no code row (so no cooldown), the challenge is still live.
    const first = await smtpDown(() => sendLoginEmailCode(db, challenge, { mode: "auto" }));
    expect(first.error).toBeInstanceOf(MailDeliveryError);
    expect(first.error.message).toBe(USER_FACING);
    expect(first.logged).not.toMatch(/(?<!\d)\d{6}(?!\d)/);
    expect((await codeRows(user.id)).filter((r) => r.purpose === "login")).toHaveLength(0);
    expect(await findChallenge(db, token)).not.toBeNull();

    // Works at once when the server is back.
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const code = latestCode(user.email, SIGN_IN);

    // A failed resend keeps the code that was delivered.
    await pastCooldown(user.id);
    const resend = await smtpDown(() => sendLoginEmailCode(db, challenge, { mode: "resend" }));
    expect(resend.error.message).toBe(USER_FACING);
    const rows = (await codeRows(user.id)).filter((r) => r.purpose === "login");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.consumedAt).toBeNull();
    const { session } = await verifyEmailLogin(db, challenge, { code }, meta);
    await expectOpenedSession(session, { userId: user.id, method: "email", challengeToken: token });
  });

  it("wrong email codes and wrong TOTP codes share one budget; a new code does not reset it; the lockout refuses sending too", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const actor = actorOf(user, org);
    const totp = await startTotpEnrolment(db, actor);
    await confirmTotpEnrolment(db, actor, { factorId: totp.factorId, name: "Phone", code: await currentTotp(totp.secret) }, meta);
    const started = await startEmailEnrolment(db, actor, { name: "Email" });
    await confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: latestCode(user.email, ENROL) }, meta);

    const { challenge } = await pendingChallenge(user.email);
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    let code = latestCode(user.email, SIGN_IN);
    const wrong = () => (code === "000000" ? "111111" : "000000");
    for (let i = 0; i < 3; i++)
      expect((await rejection(verifyEmailLogin(db, challenge, { code: wrong() }, meta))).fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);
    await pastCooldown(user.id);
    await sendLoginEmailCode(db, challenge, { mode: "resend" }); // asking for a new code resets nothing
    code = latestCode(user.email, SIGN_IN);
    for (let i = 0; i < 2; i++) await rejection(verifyEmailLogin(db, challenge, { code: wrong() }, meta));
    const next = await pendingChallenge(user.email); // nor does a new login
    for (let i = 0; i < 4; i++)
      expect((await rejection(verifyTotpLogin(db, next.challenge, { code: "111111" }, meta))).fieldErrors?.code?.[0]).toContain(WRONG_TOTP);
    // The tenth failure locks, and its own reply says so.
    expect((await rejection(verifyTotpLogin(db, next.challenge, { code: "111111" }, meta))).message).toBe(
      LOCKED_MESSAGE(MFA_LIMIT.lockSeconds),
    );

    // Ten failures: locked, even for the right code, and no more codes are sent.
    const locked = await rejection(verifyEmailLogin(db, challenge, { code }, meta));
    expect(locked.message).toBe(LOCKED_MESSAGE(15 * 60));
    await pastCooldown(user.id);
    const sends = mailsTo(user.email).filter((m) => SIGN_IN.test(m.parsed.subject ?? "")).length;
    expect((await rejection(sendLoginEmailCode(db, challenge, { mode: "resend" }))).code).toBe("rate_limited");
    expect(mailsTo(user.email).filter((m) => SIGN_IN.test(m.parsed.subject ?? "")).length).toBe(sends);
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.id), eq(auditEvents.event, "mfa.locked")));
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ attempt: MFA_LIMIT.max });
  });

  it("concurrent submissions of the same code: one success, one session", async () => {
    const db = await getDb();
    const { user } = await emailUser();
    const { token, challenge } = await pendingChallenge(user.email);
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const code = latestCode(user.email, SIGN_IN);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifyEmailLogin(db, challenge, { code }, meta)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const rows = await sessionRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(won[0]!.value.session.sessionId);
    // Nothing left for a later request either.
    expect((await Promise.all([consumeChallenge(db, token, meta), consumeChallenge(db, token, meta)])).filter(Boolean)).toHaveLength(0);
    expect(await sessionRows(user.id)).toHaveLength(1);
  });

  it("is refused when the organisation no longer allows email, and for a user without email codes", async () => {
    const db = await getDb();
    const { user, org } = await emailUser();
    const { challenge } = await pendingChallenge(user.email);
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const code = latestCode(user.email, SIGN_IN);
    const closed = { ...challenge, org: { ...org, allowEmail: false } };
    expect(await loginEmailStatus(db, closed)).toBeNull();
    expect((await rejection(sendLoginEmailCode(db, closed, { mode: "resend" }))).code).toBe("forbidden");
    expect((await rejection(verifyEmailLogin(db, closed, { code }, meta))).fieldErrors?.code?.[0]).toBe(WRONG_EMAIL_CODE);

    const totpOnly = await createUser(org.id);
    const t = await startTotpEnrolment(db, actorOf(totpOnly, org));
    await confirmTotpEnrolment(
      db,
      actorOf(totpOnly, org),
      { factorId: t.factorId, name: "Phone", code: await currentTotp(t.secret) },
      meta,
    );
    const other = await pendingChallenge(totpOnly.email);
    expect(await loginEmailStatus(db, other.challenge)).toBeNull();
    expect((await rejection(sendLoginEmailCode(db, other.challenge, { mode: "auto" }))).code).toBe("forbidden");
    expect(mailsTo(totpOnly.email).filter((m) => SIGN_IN.test(m.parsed.subject ?? ""))).toHaveLength(0);
  });
});

describe("without SMTP_URL (development)", () => {
  it("delivers to the dev mailbox: the send runs outside the code's transaction, so the embedded database does not wait on itself", async () => {
    vi.stubEnv("SMTP_URL", "");
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const devUser = await createUser(org.id);
    const actor = actorOf(devUser, org);
    const started = await startEmailEnrolment(db, actor, { name: "Email" });
    const [enrolMail] = await listDevMail(db, { to: devUser.email, limit: 1 });
    await confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: enrolMail!.text.match(/^\s*(\d{6})\s*$/m)![1]! }, meta);
    const { token, challenge } = await pendingChallenge(devUser.email);
    await expect(sendLoginEmailCode(db, challenge, { mode: "auto" })).resolves.toMatchObject({ sent: true });
    const [loginMail] = await listDevMail(db, { to: devUser.email, limit: 1 });
    expect(loginMail!.subject).toMatch(SIGN_IN);
    const { session } = await verifyEmailLogin(db, challenge, { code: loginMail!.text.match(/^\s*(\d{6})\s*$/m)![1]! }, meta);
    await expectOpenedSession(session, { userId: devUser.id, method: "email", challengeToken: token });
  });
});

describe("maskEmail", () => {
  it("keeps the first character and the domain", () => {
    expect(maskEmail("ada@acme.test")).toBe("a•••@acme.test");
    expect(maskEmail("x@y.z")).toBe("x•••@y.z");
  });
});
