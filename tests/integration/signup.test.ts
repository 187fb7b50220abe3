/**
 * Sign-up by emailed link (S39): the same answer for a new and an existing address, the organisation
 * created only from the link (24 hours, single use, newest link only), limits per client address and
 * per email address, and nothing half-made when the email cannot be sent.
 */
import { randomUUID } from "node:crypto";
import net from "node:net";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keys } from "@/lib/attempts";
import { consumeChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { attemptCounters, auditEvents, devMail, loginChallenges, organizations, sessions, signupRequests, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { SIGNUP_MAIL_FAILED, requestSignup } from "@/lib/orgs/signup";
import {
  INVALID_SIGNUP_LINK,
  WRONG_SIGNUP_PASSWORD,
  SIGNUP_ADDRESS_TAKEN,
  completeSignup,
  findSignupRequest,
} from "@/lib/orgs/signup-link";
import { verifyPassword } from "@/lib/passwords";
import { PASSWORD, createUser, orgWithAdmin, uniqueEmail } from "./factories";

const BASE_URL = "http://guardian.test";

/** Counts argon2id hashes (the real function runs). */
const hashCalls = vi.hoisted(() => ({ n: 0 }));
vi.mock("@/lib/passwords", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/passwords")>();
  return {
    ...real,
    hashPassword: (password: string) => {
      hashCalls.n++;
      return real.hashPassword(password);
    },
  };
});
/** A client address of its own for each call that should not share a per-address budget. */
const client = () => ({ ip: `signup-${randomUUID().slice(0, 8)}`, userAgent: "vitest" });
const form = (email: string, organization = `Org ${randomUUID().slice(0, 6)}`) => ({
  organization,
  name: "Fay Founder",
  email,
  password: PASSWORD,
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function outcome(p: Promise<unknown>) {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      expect(error).toBeInstanceOf(AppError);
      return { ok: false as const, code: (error as AppError).code, message: (error as AppError).message };
    },
  );
}

async function mailTo(email: string) {
  const db = await getDb();
  return db.select().from(devMail).where(eq(devMail.to, email)).orderBy(desc(devMail.id));
}

function linkToken(text: string) {
  const m = /\/signup\/confirm\/([A-Za-z0-9_-]+)/.exec(text);
  expect(m, "a sign-up link in the email").not.toBeNull();
  return m![1]!;
}

async function latestToken(email: string) {
  return linkToken((await mailTo(email))[0]!.text);
}

async function orgCount() {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(organizations);
  return row!.n;
}

async function pending(email: string) {
  const db = await getDb();
  return db.select().from(signupRequests).where(eq(signupRequests.email, email));
}

describe("the sign-up form", () => {
  it("answers a new and an existing address the same; only the address itself is told what happens next", async () => {
    const db = await getDb();
    const { org, admin } = await orgWithAdmin();
    const fresh = uniqueEmail("fresh");
    const orgsBefore = await orgCount();

    const answers = [await outcome(requestSignup(db, form(fresh), { baseUrl: BASE_URL, meta: client() }))];
    answers.push(await outcome(requestSignup(db, form(admin.email), { baseUrl: BASE_URL, meta: client() })));
    expect(answers[0]).toEqual({ ok: true, value: undefined });
    expect(answers[1]).toEqual(answers[0]);
    expect(await orgCount()).toBe(orgsBefore); // nothing is created before the link is opened

    // The new address: a link; only the token's hash and the password's argon2id hash are stored.
    const [linkMail, ...more] = await mailTo(fresh);
    expect(more).toHaveLength(0);
    expect(linkMail!.subject).toBe("Confirm your email address for Guardian");
    const token = linkToken(linkMail!.text);
    expect(linkMail!.text).toContain(`${BASE_URL}/signup/confirm/${token}`);
    const [row] = await pending(fresh);
    expect(row!.tokenHash).toBe(sha256(token));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(row!.passwordHash, PASSWORD)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);

    // The existing address: a notice with how to sign in, no link to create anything, nothing stored.
    const [notice, ...others] = await mailTo(admin.email);
    expect(others).toHaveLength(0);
    expect(notice!.subject).toBe("Someone tried to sign up to Guardian with your email address");
    expect(notice!.text).toContain(`${BASE_URL}/login`);
    expect(notice!.text).toContain(org.name);
    expect(notice!.text).not.toMatch(/signup\/confirm/);
    expect(await pending(admin.email)).toHaveLength(0);
    const [unchanged] = await db.select().from(users).where(eq(users.id, admin.id));
    expect(unchanged).toEqual(admin);

    for (const mail of [linkMail!, notice!]) {
      expect(mail.text + mail.html).not.toContain(PASSWORD);
      expect(mail.text + mail.html).not.toContain("$argon2");
    }
  });

  it("does the same work for both: the password is hashed (argon2id) for an existing address too, so timing tells nothing", async () => {
    const db = await getDb();
    const existing = await Promise.all([1, 2, 3, 4, 5].map(() => orgWithAdmin()));
    const run = async (email: string) => {
      const calls = hashCalls.n;
      const start = performance.now();
      await requestSignup(db, form(email), { baseUrl: BASE_URL, meta: client() });
      return { ms: performance.now() - start, hashes: hashCalls.n - calls };
    };
    const fresh = [];
    const known = [];
    for (const { admin } of existing) {
      fresh.push(await run(uniqueEmail("timing")));
      known.push(await run(admin.email));
    }
    expect(fresh.map((r) => r.hashes)).toEqual([1, 1, 1, 1, 1]);
    expect(known.map((r) => r.hashes)).toEqual([1, 1, 1, 1, 1]);
    // And the medians are close (loose bounds: a shared machine is noisy).
    const median = (xs: { ms: number }[]) => xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(known) / median(fresh)).toBeGreaterThan(1 / 3);
    expect(median(known) / median(fresh)).toBeLessThan(3);
  });

  it("limits requests per client address: the 11th from one address is refused, sends nothing and stores nothing", async () => {
    const db = await getDb();
    const meta = client();
    const emails = Array.from({ length: 11 }, () => uniqueEmail("probe"));
    const results = [];
    for (const email of emails) results.push(await outcome(requestSignup(db, form(email), { baseUrl: BASE_URL, meta })));
    expect(results.slice(0, 10).every((r) => r.ok)).toBe(true);
    expect(results[10]).toEqual({ ok: false, code: "rate_limited", message: "Too many sign-up attempts. Try again in 60 minutes." });
    expect(await mailTo(emails[10]!)).toHaveLength(0);
    expect(await pending(emails[10]!)).toHaveLength(0);
    // Another client is not affected.
    expect((await outcome(requestSignup(db, form(emails[10]!), { baseUrl: BASE_URL, meta: client() }))).ok).toBe(true);
  });

  it("limits requests per email address, whoever asks, the same for a new and an existing address", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const fresh = uniqueEmail("flood");
    const run = async (email: string) => {
      const results = [];
      for (let i = 0; i < 6; i++) results.push(await outcome(requestSignup(db, form(email), { baseUrl: BASE_URL, meta: client() })));
      return results;
    };
    const forFresh = await run(fresh);
    const forExisting = await run(admin.email);
    expect(forFresh.map((r) => r.ok)).toEqual([true, true, true, true, true, false]);
    expect(forFresh[5]).toMatchObject({ code: "rate_limited", message: "Too many sign-up attempts. Try again in 60 minutes." });
    expect(forExisting).toEqual(forFresh);
    expect(await mailTo(fresh)).toHaveLength(5);
    expect(await mailTo(admin.email)).toHaveLength(5);
    const [counter] = await db
      .select()
      .from(attemptCounters)
      .where(eq(attemptCounters.key, keys.signupEmail(fresh)));
    expect(counter!.lockedUntil).not.toBeNull();
  });

  it("says so when the email cannot be sent, leaving nothing behind, on both paths", async () => {
    const db = await getDb();
    const { admin } = await orgWithAdmin();
    const fresh = uniqueEmail("nomail");
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${await closedPort()}`);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const failedNew = await outcome(requestSignup(db, form(fresh), { baseUrl: BASE_URL, meta: client() }));
    const failedExisting = await outcome(requestSignup(db, form(admin.email), { baseUrl: BASE_URL, meta: client() }));
    expect(failedNew).toEqual({ ok: false, code: "unavailable", message: SIGNUP_MAIL_FAILED });
    expect(failedExisting).toEqual(failedNew);
    expect(await pending(fresh)).toHaveLength(0);
  });
});

describe("the emailed link", () => {
  it("creates the organisation and its admin with the chosen password, once; no session: the admin signs in normally", async () => {
    const db = await getDb();
    const email = uniqueEmail("founder");
    const meta = client();
    await requestSignup(db, form(email, "Globex Help"), { baseUrl: BASE_URL, meta });
    const token = await latestToken(email);
    expect(await findSignupRequest(db, token)).toMatchObject({ organizationName: "Globex Help", name: "Fay Founder", email });

    const { org, user } = await completeSignup(db, { token: token, password: PASSWORD }, meta);
    expect(org.name).toBe("Globex Help");
    expect(user).toMatchObject({ orgId: org.id, email, name: "Fay Founder", role: "admin", mfaEnforced: false });
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    expect(await pending(email)).toHaveLength(0);
    expect(await db.select().from(loginChallenges).where(eq(loginChallenges.userId, user.id))).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    const [entry] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.event, "user.signup")));
    expect(entry).toMatchObject({ actorUserId: user.id, targetUserId: user.id, ip: meta.ip });

    // Used up.
    expect(await findSignupRequest(db, token)).toBeNull();
    expect(await outcome(completeSignup(db, { token: token, password: PASSWORD }))).toEqual({
      ok: false,
      code: "not_found",
      message: INVALID_SIGNUP_LINK,
    });

    // The new admin signs in with the password chosen on the form.
    const { next, token: challenge } = await passwordStep(db, { email, password: PASSWORD }, meta);
    expect(next).toBe("done");
    expect(await consumeChallenge(db, challenge, meta)).not.toBeNull();
  });

  it("is single-use under concurrency: of three simultaneous confirmations exactly one creates anything", async () => {
    const db = await getDb();
    const email = uniqueEmail("race");
    const name = `Race Org ${randomUUID()}`;
    await requestSignup(db, form(email, name), { baseUrl: BASE_URL, meta: client() });
    const token = await latestToken(email);
    const results = await Promise.all([1, 2, 3].map(() => outcome(completeSignup(db, { token: token, password: PASSWORD }))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, code: "not_found", message: INVALID_SIGNUP_LINK },
      { ok: false, code: "not_found", message: INVALID_SIGNUP_LINK },
    ]);
    expect(await db.select().from(organizations).where(eq(organizations.name, name))).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it("expires after 24 hours", async () => {
    const db = await getDb();
    const email = uniqueEmail("late");
    await requestSignup(db, form(email), { baseUrl: BASE_URL, meta: client() });
    const token = await latestToken(email);
    const [row] = await pending(email);
    expect(Math.abs(row!.expiresAt.getTime() - row!.createdAt.getTime() - 24 * 3600 * 1000)).toBeLessThan(5000);
    await db
      .update(signupRequests)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(signupRequests.email, email));
    const orgsBefore = await orgCount();
    expect(await findSignupRequest(db, token)).toBeNull();
    expect(await outcome(completeSignup(db, { token: token, password: PASSWORD }))).toEqual({
      ok: false,
      code: "not_found",
      message: INVALID_SIGNUP_LINK,
    });
    expect(await orgCount()).toBe(orgsBefore);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it("a newer request for the address makes every older link useless", async () => {
    const db = await getDb();
    const email = uniqueEmail("twice");
    await requestSignup(db, form(email, "First Try"), { baseUrl: BASE_URL, meta: client() });
    const first = await latestToken(email);
    await requestSignup(db, form(email, "Second Try"), { baseUrl: BASE_URL, meta: client() });
    const second = await latestToken(email);
    expect(second).not.toBe(first);
    expect(await findSignupRequest(db, first)).toBeNull();
    expect(await outcome(completeSignup(db, { token: first, password: PASSWORD }))).toMatchObject({ ok: false, code: "not_found" });
    expect(await pending(email)).toHaveLength(1);
    const { org } = await completeSignup(db, { token: second, password: PASSWORD });
    expect(org.name).toBe("Second Try");
  });

  it("asks for the password chosen at sign-up: a sign-up someone else started for the address cannot be confirmed into their account", async () => {
    const db = await getDb();
    const email = uniqueEmail("victim");
    // Someone who knows the address starts a sign-up with a password only they know.
    await requestSignup(db, { ...form(email, "Hijack Org"), password: "the attacker's passphrase" }, { baseUrl: BASE_URL, meta: client() });
    const token = await latestToken(email);
    // The owner opens the link and types their own password: refused, nothing created.
    const wrong = await outcome(completeSignup(db, { token, password: PASSWORD }));
    expect(wrong).toMatchObject({ ok: false, code: "bad_request", message: WRONG_SIGNUP_PASSWORD });
    expect(await db.select().from(organizations).where(eq(organizations.name, "Hijack Org"))).toHaveLength(0);
    // Five wrong passwords use the link up: whoever holds it cannot guess on.
    for (let i = 0; i < 4; i++) await outcome(completeSignup(db, { token, password: `guess ${i}` }));
    expect(await findSignupRequest(db, token)).toBeNull();
    expect(await outcome(completeSignup(db, { token, password: "the attacker's passphrase" }))).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await db.select().from(organizations).where(eq(organizations.name, "Hijack Org"))).toHaveLength(0);
  });

  it("garbled links find nothing and fail with the same clear message", async () => {
    const db = await getDb();
    for (const token of [
      "",
      "x",
      "a".repeat(500),
      "../../etc/passwd",
      "abc def ghi jkl mno",
      null,
      42,
      { $ne: "" },
      randomUUID().replace(/-/g, ""),
    ]) {
      expect(await findSignupRequest(db, token)).toBeNull();
      expect(await outcome(completeSignup(db, { token: token as string, password: PASSWORD }))).toEqual({
        ok: false,
        code: "not_found",
        message: INVALID_SIGNUP_LINK,
      });
    }
  });

  it("creates nothing when the address got an account after the request (the link is used up)", async () => {
    const db = await getDb();
    const email = uniqueEmail("taken");
    await requestSignup(db, form(email, "Too Late Org"), { baseUrl: BASE_URL, meta: client() });
    const token = await latestToken(email);
    const { org } = await orgWithAdmin();
    await createUser(org.id, { email }); // e.g. invited by another organisation meanwhile
    expect(await outcome(completeSignup(db, { token: token, password: PASSWORD }))).toEqual({
      ok: false,
      code: "conflict",
      message: SIGNUP_ADDRESS_TAKEN,
    });
    expect(await db.select().from(organizations).where(eq(organizations.name, "Too Late Org"))).toHaveLength(0);
    expect(await findSignupRequest(db, token)).toBeNull();
  });
});

/** A port with nothing listening on it: "SMTP down". */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}
