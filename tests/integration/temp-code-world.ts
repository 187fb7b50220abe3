/** Shared set-up for the temporary access code tests (admin side and login side). */
import { and, asc, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { issueTempCode, issueTempCodeSchema } from "@/lib/admin/temp-codes";
import { findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import { auditEvents, devMail, mfaFactors, organizations, tempAccessCodes, type FactorType } from "@/lib/db/schema";
import { PASSWORD, createUser, meta, orgWithAdmin, parsedForm } from "./factories";

export async function addFactor(user: { id: string; orgId: string }, type: FactorType = "totp") {
  const db = await getDb();
  await db.insert(mfaFactors).values({
    userId: user.id,
    orgId: user.orgId,
    type,
    name: type === "totp" ? "Lost phone" : "Email",
    secretEnc: type === "totp" ? "v1.not.a.real-secret" : null,
    confirmedAt: new Date(),
  });
}

/** An organisation whose admin has 2FA, an agent with an authenticator app, and a foreign organisation. */
export async function world(orgValues: Partial<typeof organizations.$inferInsert> = {}) {
  const { org, admin } = await orgWithAdmin({ name: "Temp Org", ...orgValues });
  await addFactor(admin);
  const agent = await createUser(org.id, { name: "Lou Lostphone" });
  await addFactor(agent);
  const other = await orgWithAdmin();
  const foreign = await createUser(other.org.id, { name: "Foreign Agent" });
  await addFactor(foreign);
  return {
    org,
    admin,
    agent,
    other,
    foreign,
    actor: { id: admin.id, orgId: org.id },
    agentActor: { id: agent.id, orgId: org.id },
    otherActor: { id: other.admin.id, orgId: other.org.id },
  };
}

/** The admin's "issue a code" form, parsed as the action wrapper does (field errors are thrown as an AppError). */
export const issueInput = (userId: string, values: Record<string, unknown> = {}) =>
  parsedForm(issueTempCodeSchema, { userId, password: PASSWORD, reason: "Lost phone, confirmed by a call", ...values });

/** Issues a code for the agent as the world's admin (dev mailbox). */
export async function issueFor(w: Awaited<ReturnType<typeof world>>, values: Record<string, unknown> = {}) {
  return issueTempCode(await getDb(), w.actor, issueInput(w.agent.id, values), meta);
}

export async function codeRows(userId: string) {
  const db = await getDb();
  return db.select().from(tempAccessCodes).where(eq(tempAccessCodes.userId, userId)).orderBy(asc(tempAccessCodes.createdAt));
}

export async function auditFor(orgId: string, event: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.event, event)))
    .orderBy(asc(auditEvents.id));
}

export async function mailTo(email: string) {
  const db = await getDb();
  return db.select().from(devMail).where(eq(devMail.to, email)).orderBy(asc(devMail.id));
}

/** Moves a code's expiry into the past, as if its hours had gone by. */
export async function expire(codeId: string) {
  const db = await getDb();
  await db
    .update(tempAccessCodes)
    .set({ expiresAt: sql`now() - interval '1 second'`, createdAt: sql`now() - interval '1 hour 1 second'` })
    .where(eq(tempAccessCodes.id, codeId));
}

/** A login that passed the password and waits for the second step. */
export async function pendingLogin(email: string) {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password: PASSWORD }, meta);
  expect(next).toBe("mfa");
  return { token, challenge: (await findChallenge(db, token))! };
}
