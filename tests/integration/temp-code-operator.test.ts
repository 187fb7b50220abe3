/**
 * `npm run admin -- temp-code <email> [--hours N]` (S40): for a locked-out admin when no other admin can
 * help. The use case, then the real command in its own process against a real database (PostgreSQL:
 * the test database; PGlite: a database directory of its own, since an in-memory one cannot be shared).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { operatorIssueTempCode } from "@/lib/admin/temp-codes";
import { consumeChallenge } from "@/lib/auth/challenge";
import { keyedHash } from "@/lib/crypto";
import { getDb, type Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { auditEvents, devMail, mfaFactors, organizations, tempAccessCodes, users } from "@/lib/db/schema";
import { verifyTempCodeLogin, tempCodeLoginSchema } from "@/lib/mfa/temp-code-login";
import { normaliseTempCode } from "@/lib/mfa/temp-codes";
import { hashPassword } from "@/lib/passwords";
import { expectOpenedSession, meta, rejection, uniqueEmail } from "./factories";
import { auditFor, codeRows, mailTo, pendingLogin, world } from "./temp-code-world";

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "");
});

describe("operator temp-code (use case)", () => {
  it("issues a code for a locked-out admin: their factors stay, they are emailed (not the code), audited as the operator; the code signs them in once", async () => {
    const db = await getDb();
    const w = await world();
    const result = await operatorIssueTempCode(db, `  ${w.admin.email.toUpperCase()} `, { hours: 2, operator: "root@host" });
    expect(result).toMatchObject({ email: w.admin.email, role: "admin", hours: 2 });
    const [row] = await codeRows(w.admin.id);
    expect(row).toMatchObject({ issuerType: "operator", issuedBy: null, removeFactors: false, endedAt: null });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(2 * 3600 * 1000);
    const [entry] = await auditFor(w.org.id, "operator.temp_code.issued");
    expect(entry).toMatchObject({
      actorType: "operator",
      actorUserId: null,
      targetUserId: w.admin.id,
      ip: "server",
      detail: { codeId: row!.id, hours: 2, operator: "root@host" },
    });
    const [mail] = await mailTo(w.admin.email);
    expect(mail!.text).toContain("A server operator issued a temporary access code");
    expect(mail!.text).not.toContain(normaliseTempCode(result.code));

    const { token, challenge } = await pendingLogin(w.admin.email);
    expect(await consumeChallenge(db, token, meta)).toBeNull(); // no session before the code
    const signedIn = await verifyTempCodeLogin(db, challenge, tempCodeLoginSchema.parse({ code: result.code }), meta);
    await expectOpenedSession(signedIn.session, { userId: w.admin.id, method: "temp_code", challengeToken: token });
    const again = await pendingLogin(w.admin.email);
    await rejection(verifyTempCodeLogin(db, again.challenge, tempCodeLoginSchema.parse({ code: result.code }), meta));
    expect(await db.select().from(mfaFactors).where(eq(mfaFactors.userId, w.admin.id))).toHaveLength(1);
  });

  it("refuses unknown users, hours outside 1 to 24 or above the organisation's maximum, and organisations that turned codes off (pointing at reset-2fa)", async () => {
    const db = await getDb();
    const w = await world({ tempCodeMaxHours: 3 });
    expect((await rejection(operatorIssueTempCode(db, "nobody@example.test"))).code).toBe("not_found");
    for (const hours of [0, 25, 2.5])
      expect((await rejection(operatorIssueTempCode(db, w.admin.email, { hours }))).code).toBe("bad_request");
    expect(await rejection(operatorIssueTempCode(db, w.admin.email, { hours: 4 }))).toMatchObject({
      code: "bad_request",
      message: "Your organisation allows at most 3 hours.",
    });
    await db.update(organizations).set({ tempCodesEnabled: false }).where(eq(organizations.id, w.org.id));
    expect((await rejection(operatorIssueTempCode(db, w.admin.email))).message).toMatch(/turned off.*Use reset-2fa instead/);
    expect(await codeRows(w.admin.id)).toHaveLength(0);
  });
});

/** A database the command's own process can open, with an admin in it; `withDb` runs against it in this process. */
async function scriptDatabase(): Promise<{
  env: Record<string, string>;
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  cleanup: () => Promise<void>;
}> {
  if (process.env.TEST_DB === "postgres") {
    return {
      env: { DATABASE_URL: process.env.DATABASE_URL! },
      withDb: async <T>(fn: (db: Db) => Promise<T>) => fn(await getDb()),
      cleanup: async () => {},
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guardian-operator-"));
  const withDb = async <T>(fn: (db: Db) => Promise<T>) => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = new PGlite(dir);
    try {
      return await fn(drizzle(client, { schema }) as unknown as Db);
    } finally {
      await client.close();
    }
  };
  await withDb(async (db) => {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(db as never, { migrationsFolder: path.join(process.cwd(), "drizzle") });
  });
  return { env: { PGLITE_DIR: dir }, withDb, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function runAdmin(args: string[], env: Record<string, string>) {
  const root = path.resolve(import.meta.dirname, "../..");
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.SMTP_URL; // the dev mailbox, in the same database
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  return spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/admin.ts", ...args], {
    cwd: root,
    env: childEnv,
    encoding: "utf8",
    timeout: 90_000,
  });
}

describe("operator temp-code (the real command)", () => {
  it("prints a code, stores only its keyed hash, emails the user and audits as the operator; bad arguments exit 1 with the usage", async () => {
    const target = await scriptDatabase();
    try {
      const email = uniqueEmail("locked-admin");
      const passwordHash = await hashPassword("admin's long passphrase");
      const userId = await target.withDb(async (db) => {
        const [org] = await db.insert(organizations).values({ name: "Operator Org" }).returning();
        const [user] = await db
          .insert(users)
          .values({ orgId: org!.id, email, name: "Locked Admin", role: "admin", passwordHash })
          .returning();
        return user!.id;
      });

      const bad = runAdmin(["temp-code", email, "--hours", "30"], target.env);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("Choose at most 24 hours.");
      const usage = runAdmin(["temp-code"], target.env);
      expect(usage.status).toBe(1);
      expect(usage.stderr).toContain("npm run admin -- temp-code <email> [--hours N]");

      const run = runAdmin(["temp-code", email, "--hours", "2"], target.env);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Temporary access code for ${email} (admin), valid 2 hours, once:`);
      const code = /^\s{4}([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/m.exec(run.stdout)?.[1];
      expect(code, "a code on a line of its own").toBeTruthy();

      await target.withDb(async (db) => {
        const rows = await db.select().from(tempAccessCodes).where(eq(tempAccessCodes.userId, userId));
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ issuerType: "operator", codeHash: keyedHash("temp-access-code", normaliseTempCode(code!)) });
        const audits = await db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.targetUserId, userId), eq(auditEvents.event, "operator.temp_code.issued")));
        expect(audits).toHaveLength(1);
        expect(audits[0]).toMatchObject({
          actorType: "operator",
          actorUserId: null,
          detail: { hours: 2, operator: `${os.userInfo().username}@${os.hostname()}` },
        });
        const mails = await db.select().from(devMail).where(eq(devMail.to, email));
        expect(mails).toHaveLength(1);
        expect(mails[0]!.text).toContain("A server operator issued a temporary access code");
        expect(mails[0]!.text).not.toContain(normaliseTempCode(code!));
      });
    } finally {
      await target.cleanup();
    }
  }, 120_000);
});
