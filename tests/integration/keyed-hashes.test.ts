/**
 * S37: what a person types (email codes, recovery codes) is stored as a keyed hash. The tests read the
 * raw rows, as someone holding a copy of the database would, and show that the plain SHA-256 of the
 * code is not what is stored, that the 10^6 candidates of an email code find nothing without the key,
 * and that the stored value is reproduced only with the server's key.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { consumeChallenge, findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getSecrets } from "@/lib/config";
import { KEYED_HASH_PREFIX, keyedHash, sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { emailCodes, recoveryCodes } from "@/lib/db/schema";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { confirmEmailEnrolment, startEmailEnrolment } from "@/lib/mfa/email-enrolment";
import { sendLoginEmailCode, verifyEmailLogin } from "@/lib/mfa/email-login";
import { regenerateRecoveryCodes } from "@/lib/mfa/manage";
import { normaliseRecoveryCode } from "@/lib/mfa/recovery";
import { WRONG_RECOVERY, verifyRecoveryLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, expectOpenedSession, meta, orgWithAdmin, sessionRows } from "./factories";

const OTHER_KEY = Buffer.alloc(32, 9); // what a server with a different ENCRYPTION_KEY would compute

beforeEach(() => {
  vi.stubEnv("SMTP_URL", ""); // codes go to the dev mailbox, where the test reads them
});

async function latestCode(to: string) {
  const [mail] = await listDevMail(await getDb(), { to, limit: 1 });
  return mail!.text.match(/^\s*(\d{6})\s*$/m)![1]!;
}

/** A user with email codes set up (and so ten recovery codes), and a login waiting for the second step. */
async function emailUser() {
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id);
  const actor = { ...user, org };
  const started = await startEmailEnrolment(db, actor, { name: "Email" });
  const { recoveryCodes: codes } = await confirmEmailEnrolment(
    db,
    actor,
    { factorId: started.factorId, code: await latestCode(user.email) },
    meta,
  );
  return { user, org, actor, recovery: codes! };
}

async function pendingChallenge(email: string) {
  const db = await getDb();
  const { token, next } = await passwordStep(db, { email, password: PASSWORD }, meta);
  expect(next).toBe("mfa");
  return { token, challenge: (await findChallenge(db, token))! };
}

/** The raw column, as a database copy shows it. */
async function rawRecoveryHashes(userId: string) {
  const db = await getDb();
  return (await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId))).map((r) => r.codeHash);
}

describe("S37: keyed hashes for what a person types", () => {
  it("an email code: not its SHA-256, none of the 10^6 candidates matches without the key, only the server key reproduces it", async () => {
    const db = await getDb();
    const { user } = await emailUser();
    const { token, challenge } = await pendingChallenge(user.email);
    await sendLoginEmailCode(db, challenge, { mode: "auto" });
    const code = await latestCode(user.email);
    const [stored] = (await db.select().from(emailCodes).where(eq(emailCodes.challengeId, challenge.challenge.id))).map((r) => r.codeHash);
    const bound = `login:${challenge.challenge.id}:${code}`;

    expect(stored).not.toBe(sha256(bound));
    expect(stored).not.toBe(sha256(code));
    expect(stored!.startsWith(KEYED_HASH_PREFIX)).toBe(true);
    // The attack of the issue: try every six-digit code with the scheme used before. Nothing matches.
    const digest = stored!.slice(KEYED_HASH_PREFIX.length);
    let found = 0;
    for (let n = 0; n < 1_000_000; n++) {
      if (sha256(`login:${challenge.challenge.id}:${String(n).padStart(6, "0")}`) === digest) found++;
    }
    expect(found).toBe(0);
    // The server key reproduces it; any other key does not.
    expect(keyedHash("email-code", bound, getSecrets().encryptionKey)).toBe(stored);
    expect(keyedHash("email-code", bound, OTHER_KEY)).not.toBe(stored);
    expect(keyedHash("recovery-code", bound, getSecrets().encryptionKey)).not.toBe(stored); // one key per purpose

    const { session } = await verifyEmailLogin(db, challenge, { code }, meta);
    await expectOpenedSession(session, { userId: user.id, method: "email", challengeToken: token });
  });

  it("recovery codes: not their SHA-256, only the server key reproduces them, and each still works once", async () => {
    const db = await getDb();
    const { user, recovery } = await emailUser();
    const stored = await rawRecoveryHashes(user.id);
    expect(stored).toHaveLength(10);
    const key = getSecrets().encryptionKey;
    for (const code of recovery) {
      const normal = normaliseRecoveryCode(code);
      expect(stored).not.toContain(sha256(normal));
      expect(stored).toContain(keyedHash("recovery-code", normal, key));
      expect(stored).not.toContain(keyedHash("recovery-code", normal, OTHER_KEY));
    }

    const first = await pendingChallenge(user.email);
    await expect(verifyRecoveryLogin(db, first.challenge, { code: recovery[0]! }, meta)).resolves.toMatchObject({ remaining: 9 });
    const second = await pendingChallenge(user.email);
    expect(
      await verifyRecoveryLogin(db, second.challenge, { code: recovery[0]! }, meta).catch(
        (e: { fieldErrors?: Record<string, string[]> }) => e,
      ),
    ).toMatchObject({
      fieldErrors: { code: [WRONG_RECOVERY] },
    });
  });

  it("a recovery code stored before keyed hashes (plain SHA-256) still works, once; a new set is keyed only", async () => {
    const db = await getDb();
    const { user, org, actor } = await emailUser();
    const legacy = "0123-4567-89ab-cdef";
    await db.insert(recoveryCodes).values({ userId: user.id, codeHash: sha256(normaliseRecoveryCode(legacy)) });

    const a = await pendingChallenge(user.email);
    const used = await verifyRecoveryLogin(db, a.challenge, { code: legacy }, meta);
    await expectOpenedSession(used.session, { userId: user.id, method: "recovery", challengeToken: a.token });
    const b = await pendingChallenge(user.email);
    await expect(verifyRecoveryLogin(db, b.challenge, { code: legacy }, meta)).rejects.toMatchObject({
      fieldErrors: { code: [WRONG_RECOVERY] },
    });
    expect(await consumeChallenge(db, b.token, meta)).toBeNull();
    expect(await sessionRows(user.id)).toHaveLength(1); // the legacy code signed in once

    await regenerateRecoveryCodes(db, { ...actor, org }, { password: PASSWORD }, meta);
    const rows = await db.select({ codeHash: recoveryCodes.codeHash }).from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.codeHash.startsWith(KEYED_HASH_PREFIX))).toBe(true);
  });
});
