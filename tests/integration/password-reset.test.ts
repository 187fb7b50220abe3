/**
 * S39/S40 "Forgot your password?" and its links: the same answer (and the same work) for addresses with
 * and without an account, limits per address typed and per client address, the token stored only
 * hashed, single use under concurrency, 30-minute expiry, a newer link making older ones useless, a
 * failed email leaving nothing behind, garbled links, and the admin's "Send password reset".
 */
import net from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sendMemberPasswordReset } from "@/lib/admin/password-reset";
import { RESET_EMAIL_LIMIT, RESET_IP_LIMIT } from "@/lib/attempts";
import { FORGOT_PASSWORD_ANSWER, requestPasswordReset } from "@/lib/auth/forgot-password";
import { RESET_LINK_MESSAGES, findResetLink } from "@/lib/auth/reset-links";
import { completePasswordReset } from "@/lib/auth/reset-password";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { auditEvents, passwordResets, users } from "@/lib/db/schema";
import { MailDeliveryError } from "@/lib/mail";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { verifyPassword } from "@/lib/passwords";
import { createUser, orgWithAdmin, rejection, uniqueEmail } from "./factories";
import { BASE_URL, NEW_PASSWORD, freshMeta, latestResetToken, requestLink } from "./reset-helpers";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const ask = async (email: string, meta = freshMeta()) => requestPasswordReset(await getDb(), { email }, { baseUrl: BASE_URL, meta });
const reset = async (token: string, password = NEW_PASSWORD) =>
  completePasswordReset(await getDb(), { token, password, confirmPassword: password }, null, freshMeta());
const resetRows = async (userId: string) => (await getDb()).select().from(passwordResets).where(eq(passwordResets.userId, userId));

/** "SMTP down": a port with nothing listening on it. */
async function smtpDown() {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${port}`);
  vi.spyOn(console, "error").mockImplementation(() => {});
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("asking for a reset link (S39)", () => {
  it("answers the same for an account, an unknown address, a deactivated and a never-activated account, and emails each address once", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const active = await createUser(org.id);
    const deactivated = await createUser(org.id, { deactivatedAt: new Date() });
    const invited = await createUser(org.id, { passwordHash: null });
    const unknown = uniqueEmail("nobody");
    const answers = [];
    for (const email of [active.email, unknown, deactivated.email, invited.email]) answers.push(await ask(email));
    for (const answer of answers) expect(answer).toEqual({ message: FORGOT_PASSWORD_ANSWER });

    const mailTo = async (to: string) => listDevMail(db, { to });
    const [link] = await mailTo(active.email);
    expect(link!.text).toContain(`${BASE_URL}/reset-password/`);
    for (const email of [unknown, deactivated.email, invited.email]) {
      const mails = await mailTo(email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).not.toContain("/reset-password/");
      expect(mails[0]!.subject).toBe("Your Guardian password reset request");
    }
    expect((await mailTo(unknown))[0]!.text).toContain("There is no Guardian account with this email address");
    // Only the active account got a link; the others have no reset row at all.
    expect(await resetRows(active.id)).toHaveLength(1);
    expect(await resetRows(deactivated.id)).toHaveLength(0);
    expect(await resetRows(invited.id)).toHaveLength(0);

    // Audited: the account's request in its organisation; an unknown address without organisation or address.
    const requested = await db.select().from(auditEvents).where(eq(auditEvents.event, "password.reset.requested"));
    expect(requested.find((e) => e.targetUserId === active.id)).toMatchObject({ orgId: org.id });
    expect(requested.find((e) => e.targetUserId === deactivated.id)?.detail).toEqual({ reason: "deactivated" });
    const anonymous = requested.filter((e) => e.orgId === null && e.targetUserId === null);
    expect(anonymous.length).toBeGreaterThan(0);
    expect(JSON.stringify(anonymous)).not.toContain(unknown);
  });

  it("takes a similar time for an unknown address as for an account (both send one email)", async () => {
    const { org } = await orgWithAdmin();
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, after one warm-up round of each (module loading, prepared statements).
    for (let i = -1; i < 11; i++) {
      const user = await createUser(org.id);
      for (const [email, times] of [
        [user.email, known],
        [uniqueEmail("ghost"), unknown],
      ] as const) {
        const started = performance.now();
        await ask(email);
        if (i >= 0) times.push(performance.now() - started);
      }
    }
    // Both do the same kind of work (an email and a few statements); only a wide band is stable on a shared machine.
    const ratio = median(known) / median(unknown);
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeGreaterThan(1 / 3);
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeLessThan(3);
  });

  it("limits requests per address typed (known or not, same message) and per client address", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    for (const email of [user.email, uniqueEmail("limit")]) {
      for (let i = 0; i < RESET_EMAIL_LIMIT.max; i++) await ask(email);
      const e = await rejection(ask(email));
      expect(e.code).toBe("rate_limited");
      expect(e.message).toBe("Too many password reset requests. Try again in 60 minutes.");
    }
    expect((await listDevMail(await getDb(), { to: user.email, limit: 50 })).length).toBe(RESET_EMAIL_LIMIT.max);

    const meta = freshMeta();
    for (let i = 0; i < RESET_IP_LIMIT.max; i++) await ask(uniqueEmail("ip"), meta);
    const e = await rejection(ask(user.email, meta));
    expect(e.code).toBe("rate_limited");
  });

  it("stores only the SHA-256 of the 256-bit token, valid for 30 minutes", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const token = await requestLink(user.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await resetRows(user.id);
    expect(row!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const minutes = (row!.expiresAt.getTime() - row!.createdAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(30, 1);
  });

  it("a newer link makes the older ones useless", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const first = await requestLink(user.email);
    const second = await requestLink(user.email);
    expect(await findResetLink(await getDb(), first)).toEqual({ status: "superseded" });
    const e = await rejection(reset(first));
    expect(e).toMatchObject({ code: "not_found", message: RESET_LINK_MESSAGES.superseded.text });
    await reset(second);
    const [row] = await (await getDb()).select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row!.passwordHash, NEW_PASSWORD)).toBe(true);
  });

  it("expires after 30 minutes", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const token = await requestLink(user.email);
    await db
      .update(passwordResets)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(passwordResets.userId, user.id));
    expect(await findResetLink(db, token)).toEqual({ status: "expired" });
    expect(await rejection(reset(token))).toMatchObject({ code: "not_found", message: RESET_LINK_MESSAGES.expired.text });
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toBe(user.passwordHash);
  });

  it("works once: of two concurrent uses exactly one sets the password; a third says it was used", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const token = await requestLink(user.email);
    const results = await Promise.allSettled([reset(token, "first concurrent passphrase"), reset(token, "second concurrent passphrase")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: "not_found" });
    expect(await rejection(reset(token))).toMatchObject({ message: RESET_LINK_MESSAGES.used.text });
    const completed = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "password.reset.completed"), eq(auditEvents.targetUserId, user.id)));
    expect(completed).toHaveLength(1);
  });

  it("a failed email leaves no link behind, says so, and the previous link still works", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const earlier = await requestLink(user.email);
    await smtpDown();
    const e = await rejection(ask(user.email));
    expect(e).toBeInstanceOf(MailDeliveryError);
    expect(e.message).toBe("We could not send the email. Please try again.");
    // The unknown-address path fails the same way.
    expect(await rejection(ask(uniqueEmail("down")))).toBeInstanceOf(MailDeliveryError);
    vi.unstubAllEnvs();
    const rows = await resetRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(sha256(earlier));
    expect((await findResetLink(db, earlier)).status).toBe("ok");
  });

  it("answers a garbled or unknown link with a clear state, never an error", async () => {
    const db = await getDb();
    for (const token of [
      undefined,
      null,
      42,
      "",
      "x",
      "../../etc/passwd",
      "a".repeat(201),
      "%00%00",
      "A".repeat(43),
      "valid-looking_token-but-unknown-0123456789ab",
    ]) {
      expect(await findResetLink(db, token)).toEqual({ status: "invalid" });
    }
    const e = await rejection(reset("A".repeat(43)));
    expect(e).toMatchObject({ code: "not_found", message: RESET_LINK_MESSAGES.invalid.text });
  });
});

describe("the admin's “Send password reset” (S27)", () => {
  it("sends the same link to a member of the admin's organisation, audited; older links stop working", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const member = await createUser(org.id);
    const own = await requestLink(member.email);
    const result = await sendMemberPasswordReset(
      db,
      { id: admin.id, orgId: org.id },
      { userId: member.id },
      { baseUrl: BASE_URL, meta: freshMeta() },
    );
    expect(result.email).toBe(member.email);
    const [mail] = await listDevMail(db, { to: member.email, limit: 1 });
    expect(mail!.text).toContain("Admin, an admin of Test Org, sent you a link");
    const token = await latestResetToken(member.email);
    expect((await findResetLink(db, own)).status).toBe("superseded");
    const [row] = await resetRows(member.id).then((rows) => rows.filter((r) => r.tokenHash === sha256(token)));
    expect(row!.sentBy).toBe(admin.id);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "admin.password.reset.sent"), eq(auditEvents.targetUserId, member.id)));
    expect(event).toMatchObject({ orgId: org.id, actorUserId: admin.id });
    await reset(token);
    const [done] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "password.reset.completed"), eq(auditEvents.targetUserId, member.id)));
    expect(done!.detail).toMatchObject({ requestedBy: "admin", method: "none" });
  });

  it("is refused to an agent, to an admin of another organisation, and for deactivated or never-activated members", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const agent = await createUser(org.id);
    const member = await createUser(org.id);
    const other = await orgWithAdmin();
    const send = (actor: { id: string; orgId: string }, userId: string) =>
      sendMemberPasswordReset(db, actor, { userId }, { baseUrl: BASE_URL });
    expect((await rejection(send({ id: agent.id, orgId: org.id }, member.id))).code).toBe("forbidden");
    expect((await rejection(send({ id: other.admin.id, orgId: other.org.id }, member.id))).code).toBe("not_found");
    const deactivated = await createUser(org.id, { deactivatedAt: new Date() });
    const invited = await createUser(org.id, { passwordHash: null });
    expect((await rejection(send({ id: admin.id, orgId: org.id }, deactivated.id))).code).toBe("conflict");
    expect((await rejection(send({ id: admin.id, orgId: org.id }, invited.id))).code).toBe("conflict");
    expect(await resetRows(member.id)).toHaveLength(0);
    expect(await listDevMail(db, { to: member.email })).toHaveLength(0);
  });

  it("leaves no link behind when the email cannot be sent", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const member = await createUser(org.id);
    await smtpDown();
    const e = await rejection(sendMemberPasswordReset(db, { id: admin.id, orgId: org.id }, { userId: member.id }, { baseUrl: BASE_URL }));
    expect(e).toBeInstanceOf(MailDeliveryError);
    expect(await resetRows(member.id)).toHaveLength(0);
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, "admin.password.reset.sent"), eq(auditEvents.targetUserId, member.id)));
    expect(events).toHaveLength(0);
  });
});
