/** Test data: each call makes a new organisation or user with unique emails, so files never collide. */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { addMemberSchema } from "@/lib/admin/invitations";
import { policySchema, type PolicyInput } from "@/lib/admin/settings";
import { audit } from "@/lib/audit";
import { consumeChallenge } from "@/lib/auth/challenge";
import { randomToken, sha256 } from "@/lib/crypto";
import { getDb, type Executor } from "@/lib/db/client";
import { organizations, rememberedDevices, sessions, users, type Role } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { notifyRemembered } from "@/lib/mfa/remembered-devices";
import { hashPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { parseInput } from "@/lib/validation";

export const PASSWORD = "correct horse battery";
let cachedHash: Promise<string> | undefined;

/** One client address per test file: files share the PostgreSQL test database, and with it the per-address login limit. */
export const meta = { ip: `test-${randomUUID().slice(0, 8)}`, userAgent: "vitest" };
export const uniqueEmail = (prefix = "user") => `${prefix}-${randomUUID().slice(0, 8)}@example.test`;

export async function createOrg(values: Partial<typeof organizations.$inferInsert> = {}) {
  const db = await getDb();
  const [org] = await db
    .insert(organizations)
    .values({ name: "Test Org", ...values })
    .returning();
  return org!;
}

export async function createUser(orgId: string, values: Partial<typeof users.$inferInsert> & { role?: Role } = {}) {
  const db = await getDb();
  cachedHash ??= hashPassword(PASSWORD);
  const [user] = await db
    .insert(users)
    .values({ orgId, email: uniqueEmail(values.role ?? "agent"), name: "Test User", passwordHash: await cachedHash, ...values })
    .returning();
  return user!;
}

export async function orgWithAdmin(orgValues: Partial<typeof organizations.$inferInsert> = {}) {
  const org = await createOrg(orgValues);
  const admin = await createUser(org.id, { role: "admin", name: "Admin" });
  return { org, admin };
}

/** The AppError a use case rejected with (fails the test when it resolved, or threw something else). */
export async function rejection(p: Promise<unknown>) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The 2FA policy form as an admin submits it (defaults: all three methods, not required, 30 days). */
export const policyForm = (p: Partial<PolicyInput> = {}): PolicyInput => ({
  allowTotp: true,
  allowEmail: true,
  allowWebauthn: true,
  require2fa: false,
  graceDay: "",
  rememberDeviceDays: 30,
  ...p,
});

/** The policy as the use case receives it: the form parsed by its schema, as the action wrapper does. */
export const policy = (p: Partial<PolicyInput> = {}) => policySchema.parse(policyForm(p));

/** "Add user" as an admin fills it in, parsed as the action wrapper does (requireMfa: a checkbox, off when absent). */
export const memberForm = (form: import("zod").input<typeof addMemberSchema>) => addMemberSchema.parse(form);

/** What the action wrapper does before a use case: the form parsed by its schema, or the same field errors (thrown). */
export function parsedForm<S extends import("zod").ZodType>(schema: S, raw: unknown): import("zod").output<S> {
  const { data, fieldErrors } = parseInput(schema, raw);
  if (fieldErrors) throw new AppError("validation", "Please correct the highlighted fields.", fieldErrors as Record<string, string[]>);
  return data as import("zod").output<S>;
}

/** The rows of the sessions table for this user. */
export async function sessionRows(userId: string) {
  return (await getDb()).select().from(sessions).where(eq(sessions.userId, userId));
}

/**
 * A verified second factor opened its session: the returned session is this user's, by this method, and
 * its row is in the sessions table (live). With `challengeToken`: the login's challenge is spent, so a
 * later consumeChallenge opens nothing more.
 */
export async function expectOpenedSession(
  opened: { sessionId: string; userId: string; method: string | null } | null | undefined,
  expected: { userId: string; method: string; challengeToken?: string },
) {
  const db = await getDb();
  expect(opened).toMatchObject({ userId: expected.userId, method: expected.method });
  const [row] = await db.select().from(sessions).where(eq(sessions.id, opened!.sessionId));
  expect(row).toMatchObject({ userId: expected.userId, method: expected.method, revokedAt: null });
  if (expected.challengeToken !== undefined) expect(await consumeChallenge(db, expected.challengeToken, meta)).toBeNull();
  return row!;
}

/**
 * A remembered browser for `user`, as the 2FA step writes it when "Don't ask again" is ticked (the login
 * writes the row in its own statement, lib/auth/session-sql.ts): the row, its audit row and the owner's
 * email. Returns the raw token for the cookie, or null when the organisation remembers no browser.
 */
export async function rememberBrowser(
  db: Executor,
  user: { id: string; orgId: string; email: string; name: string; org: { name: string; rememberDeviceDays: number } },
  m: RequestMeta,
) {
  const days = user.org.rememberDeviceDays;
  if (!(days > 0)) return null;
  const token = randomToken();
  const expiresAt = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  await db
    .insert(rememberedDevices)
    .values({ userId: user.id, orgId: user.orgId, tokenHash: sha256(token), userAgent: m.userAgent, ip: m.ip, expiresAt });
  await audit(db, {
    orgId: user.orgId,
    event: "device.remembered",
    actorUserId: user.id,
    targetUserId: user.id,
    detail: { days },
    meta: m,
  });
  await notifyRemembered(user, expiresAt, m);
  return { token, expiresAt };
}
