/** Shared by the password-reset tests: users with factors, asking for a link and reading it from the dev mailbox. */
import { and, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { keys } from "@/lib/attempts";
import { requestPasswordReset } from "@/lib/auth/forgot-password";
import { getDb } from "@/lib/db/client";
import { attemptCounters, mfaFactors, type organizations, type users } from "@/lib/db/schema";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import type { MfaActor } from "@/lib/mfa/actor";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { replaceRecoveryCodes } from "@/lib/mfa/recovery";
import { currentTotp } from "@/lib/mfa/totp";
import type { RequestMeta } from "@/lib/request-context";
import { createUser, orgWithAdmin } from "./factories";

export type User = typeof users.$inferSelect;
export type Org = typeof organizations.$inferSelect;

export const BASE_URL = "http://app.example.test";
export const NEW_PASSWORD = "a fresh passphrase for reset";

/** A client address of its own: each caller gets a fresh per-address reset budget. */
export const freshMeta = (): RequestMeta => ({
  ip: `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}-${Math.random().toString(36).slice(2, 8)}`,
  userAgent: "vitest",
});

export const actorOf = (user: User, org: Org, sessionId?: string): MfaActor => ({ ...user, org, sessionId });
const now = () => Math.floor(Date.now() / 1000);
/** A code one step ahead: accepted (one step of drift) and later than the step used at enrolment. */
export const nextCode = (secret: string) => currentTotp(secret, now() + 30);

/** A user with an authenticator app (and the ten recovery codes its enrolment gives). */
export async function userWithApp(values: Partial<User> = {}) {
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id, values);
  const started = await startTotpEnrolment(db, actorOf(user, org));
  const confirmed = await confirmTotpEnrolment(db, actorOf(user, org), {
    factorId: started.factorId,
    name: "Phone",
    code: await currentTotp(started.secret),
  });
  return { user, org, secret: started.secret, recoveryCodes: confirmed.recoveryCodes! };
}

/** A user whose only second factor is email codes; `recoveryCodes`: also give them a set. */
export async function userWithEmailOnly(options: { recoveryCodes?: boolean } = {}) {
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id);
  await db.insert(mfaFactors).values({ userId: user.id, orgId: org.id, type: "email", name: "Email", confirmedAt: sql`now()` });
  const codes = options.recoveryCodes ? await replaceRecoveryCodes(db, user.id) : [];
  return { user, org, recoveryCodes: codes };
}

/** The token of the newest reset link emailed to `email` (fails if the newest mail has none). */
export async function latestResetToken(email: string) {
  const [mail] = await listDevMail(await getDb(), { to: email, limit: 1 });
  const token = mail?.text.match(/\/reset-password\/([A-Za-z0-9_-]+)/)?.[1];
  expect(token, `a reset link in the newest mail to ${email}`).toBeTruthy();
  return token!;
}

/** Asks for a link as the user would and returns its token. */
export async function requestLink(email: string, meta: RequestMeta = freshMeta()) {
  await requestPasswordReset(await getDb(), { email }, { baseUrl: BASE_URL, meta });
  return latestResetToken(email);
}

/** The user's count in the shared second-factor budget (0 when there is none). */
export async function mfaFailures(userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ count: attemptCounters.count })
    .from(attemptCounters)
    .where(eq(attemptCounters.key, keys.mfa(userId)));
  return row?.count ?? 0;
}

export async function factorStep(userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ step: mfaFactors.lastUsedStep })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.type, "totp")));
  return row?.step ?? null;
}
