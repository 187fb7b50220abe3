/**
 * Temporary access codes, the admin side (S27, S28, S37, S38, S40): issuing (own password and a reason,
 * validity within 1 to 24 hours and the organisation's maximum, admins of the member's organisation
 * only, own 2FA when required), the keyed hash at rest, the member's email without the code, a failed
 * email leaving no code, one live code per member, the live list, Revoke, expiry recorded once, the
 * organisation's off switch and maximum, and the audit rows.
 */
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { NEEDS_OWN_2FA_MESSAGE } from "@/lib/admin/guard";
import { deactivateMember, reactivateMember } from "@/lib/admin/member-actions";
import { policySchema, updatePolicy } from "@/lib/admin/settings";
import { NOT_SENT_MESSAGE, TEMP_CODES_OFF_MESSAGE, issueTempCode, listTempCodes, revokeTempCode } from "@/lib/admin/temp-codes";
import { getSecrets } from "@/lib/config";
import { KEYED_HASH_PREFIX, keyedHash, sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { auditEvents, organizations, tempAccessCodes } from "@/lib/db/schema";
import { TEMP_CODE_ALPHABET, normaliseTempCode } from "@/lib/mfa/temp-codes";
import { parseInput } from "@/lib/validation";
import { createUser, meta, rejection, policy, policyForm } from "./factories";
import { addFactor, auditFor, codeRows, expire, issueFor, issueInput, mailTo, world } from "./temp-code-world";

beforeEach(() => {
  vi.stubEnv("SMTP_URL", ""); // the member's notice goes to the dev mailbox, where the test reads it
});

const HOUR = 60 * 60 * 1000;

describe("issuing a temporary access code", () => {
  it("needs the admin's password and a reason; hours are 1 to 24 (default 1) and within the organisation's maximum; bad input creates nothing", async () => {
    const w = await world({ tempCodeMaxHours: 4 });
    const wrong = await rejection(issueFor(w, { password: "not my password" }));
    expect(wrong.fieldErrors?.password).toEqual(["Incorrect password."]);
    expect((await rejection(issueFor(w, { password: "" }))).fieldErrors?.password).toEqual(["Enter your password."]);
    expect((await rejection(issueFor(w, { reason: "  " }))).fieldErrors?.reason?.[0]).toMatch(/Give a reason/);
    expect((await rejection(issueFor(w, { reason: "x".repeat(501) }))).fieldErrors?.reason?.[0]).toMatch(/at most 500/);
    for (const hours of [0, 25, 1.5, "abc", -1]) {
      expect((await rejection(issueFor(w, { hours }))).fieldErrors?.hours, `hours ${hours}`).toBeDefined();
    }
    expect((await rejection(issueFor(w, { hours: 5 }))).fieldErrors?.hours).toEqual(["Your organisation allows at most 4 hours."]);
    expect(await codeRows(w.agent.id)).toHaveLength(0);
    expect(await mailTo(w.agent.email)).toHaveLength(0);

    const issued = await issueFor(w);
    expect(issued.hours).toBe(1);
    const [row] = await codeRows(w.agent.id);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(HOUR);
    const four = await issueFor(w, { hours: "4" });
    expect(four.expiresAt.getTime() - Date.now()).toBeGreaterThan(4 * HOUR - 60_000);
  });

  it("is for admins of the member's organisation only: an agent is forbidden, another organisation's member is not found", async () => {
    const db = await getDb();
    const w = await world();
    expect((await rejection(issueTempCode(db, w.agentActor, issueInput(w.agent.id), meta))).code).toBe("forbidden");
    expect((await rejection(issueTempCode(db, { id: w.admin.id, orgId: w.other.org.id }, issueInput(w.foreign.id), meta))).code).toBe(
      "forbidden",
    );
    expect((await rejection(issueTempCode(db, w.actor, issueInput(w.foreign.id), meta))).code).toBe("not_found");
    expect((await rejection(issueTempCode(db, w.otherActor, issueInput(w.agent.id), meta))).code).toBe("not_found");
    expect((await rejection(issueTempCode(db, w.actor, issueInput("not-a-uuid"), meta))).code).toBe("not_found");
    // Not for themselves, nor for members who cannot sign in.
    expect((await rejection(issueTempCode(db, w.actor, issueInput(w.admin.id), meta))).message).toMatch(/yourself/);
    const gone = await createUser(w.org.id, { deactivatedAt: new Date() });
    expect((await rejection(issueTempCode(db, w.actor, issueInput(gone.id), meta))).message).toMatch(/deactivated/);
    const invited = await createUser(w.org.id, { passwordHash: null });
    expect((await rejection(issueTempCode(db, w.actor, issueInput(invited.id), meta))).message).toMatch(/invitation/);
    for (const u of [w.agent, w.foreign, w.admin, gone, invited]) expect(await codeRows(u.id)).toHaveLength(0);
  });

  it("S28: once the organisation requires 2FA, an admin without active 2FA is refused; with it, the code is issued", async () => {
    const db = await getDb();
    const w = await world({ require2fa: true });
    const second = await createUser(w.org.id, { role: "admin", name: "New Admin" });
    const refused = await rejection(issueTempCode(db, { id: second.id, orgId: w.org.id }, issueInput(w.agent.id), meta));
    expect(refused).toMatchObject({ code: "own_2fa_required", message: NEEDS_OWN_2FA_MESSAGE });
    expect(await codeRows(w.agent.id)).toHaveLength(0);
    await addFactor(second);
    await issueTempCode(db, { id: second.id, orgId: w.org.id }, issueInput(w.agent.id), meta);
    expect(await codeRows(w.agent.id)).toHaveLength(1);
  });

  it("S37: the code (12 characters without look-alikes) is stored as a keyed hash: not the code, not its SHA-256; only the server key reproduces it", async () => {
    const db = await getDb();
    const w = await world();
    const { code } = await issueFor(w);
    expect(code).toMatch(new RegExp(`^[${TEMP_CODE_ALPHABET}]{4}-[${TEMP_CODE_ALPHABET}]{4}-[${TEMP_CODE_ALPHABET}]{4}$`));
    expect(code).not.toMatch(/[01ILOU]/);
    const plain = normaliseTempCode(code);
    const raw: unknown = await db.execute(sql`SELECT * FROM temp_access_codes WHERE user_id = ${w.agent.id}`);
    const rows = (raw && typeof raw === "object" && "rows" in raw ? raw.rows : raw) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const stored = String(rows[0]!.code_hash);
    const everything = JSON.stringify(rows[0]);
    for (const form of [code, plain, plain.toLowerCase(), sha256(plain), sha256(code)]) expect(everything).not.toContain(form);
    expect(stored.startsWith(KEYED_HASH_PREFIX)).toBe(true);
    expect(keyedHash("temp-access-code", plain, getSecrets().encryptionKey)).toBe(stored);
    expect(keyedHash("temp-access-code", plain, Buffer.alloc(32, 9))).not.toBe(stored);
    expect(keyedHash("recovery-code", plain)).not.toBe(stored); // a key of its own
    // Nor anywhere else: audit rows and the member's email.
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.orgId, w.org.id));
    expect(JSON.stringify(audits)).not.toContain(plain);
    const mails = await mailTo(w.agent.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text + mails[0]!.html).not.toContain(plain);
    expect(mails[0]!.text + mails[0]!.html).not.toContain(code);
  });

  it("emails the member that a code was issued (who, until when, why; never the code) and audits it with the reason", async () => {
    const w = await world();
    const issued = await issueFor(w, { hours: 2, removeFactors: "on" });
    const [mail] = await mailTo(w.agent.email);
    expect(mail!.subject).toContain("A temporary access code was issued for your account");
    expect(mail!.text).toContain("An administrator (Admin) issued a temporary access code");
    expect(mail!.text).toContain("Reason given: Lost phone, confirmed by a call");
    expect(mail!.text).toContain("your current second factors and recovery codes will be removed");
    expect(mail!.text).not.toContain(normaliseTempCode(issued.code));
    const [entry] = await auditFor(w.org.id, "admin.temp_code.issued");
    expect(entry).toMatchObject({
      actorUserId: w.admin.id,
      actorType: "user",
      targetUserId: w.agent.id,
      ip: meta.ip,
      detail: {
        codeId: issued.codeId,
        hours: 2,
        removeFactors: true,
        reason: "Lost phone, confirmed by a call",
        expiresAt: issued.expiresAt.toISOString(),
      },
    });
    // Issuing alone removes nothing.
    const [row] = await codeRows(w.agent.id);
    expect(row).toMatchObject({ removeFactors: true, endedAt: null, issuedBy: w.admin.id, issuerType: "admin" });
  });

  it("a failed email leaves no code behind (the earlier code still works) and says so", async () => {
    const w = await world();
    const first = await issueFor(w);
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${port}`);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const failed = await rejection(issueFor(w));
    errors.mockRestore();
    expect(failed).toMatchObject({ code: "unavailable", message: NOT_SENT_MESSAGE });
    const rows = await codeRows(w.agent.id);
    expect(rows.map((r) => r.id)).toEqual([first.codeId]);
    expect(rows[0]!.endedAt).toBeNull();
    expect(await auditFor(w.org.id, "admin.temp_code.issued")).toHaveLength(1);
    expect(await auditFor(w.org.id, "admin.temp_code.revoked")).toHaveLength(0);
  });

  it("one live code per member: a new code replaces the older one (audited as replaced)", async () => {
    const w = await world();
    const first = await issueFor(w);
    const second = await issueFor(w);
    const rows = await codeRows(w.agent.id);
    expect(rows.find((r) => r.id === first.codeId)).toMatchObject({ endReason: "revoked" });
    expect(rows.find((r) => r.id === second.codeId)).toMatchObject({ endReason: null, endedAt: null });
    const [replaced] = await auditFor(w.org.id, "admin.temp_code.revoked");
    expect(replaced).toMatchObject({ targetUserId: w.agent.id, detail: { codeId: first.codeId, cause: "replaced" } });
  });
});

describe("the live list and Revoke", () => {
  it("lists live codes with who issued them and when they expire; Revoke ends one, audited; other organisations get not found", async () => {
    const db = await getDb();
    const w = await world();
    const issued = await issueFor(w, { hours: 3 });
    const list = await listTempCodes(db, w.actor, w.agent.id);
    expect(list).toMatchObject({ enabled: true, maxHours: 24 });
    expect(list.codes).toEqual([
      expect.objectContaining({
        id: issued.codeId,
        issuerType: "admin",
        issuerName: "Admin",
        expiresAt: issued.expiresAt,
        removeFactors: false,
      }),
    ]);
    expect((await rejection(listTempCodes(db, w.otherActor, w.agent.id))).code).toBe("not_found");
    expect((await rejection(listTempCodes(db, w.agentActor, w.agent.id))).code).toBe("forbidden");
    expect((await rejection(revokeTempCode(db, w.otherActor, { codeId: issued.codeId }, meta))).code).toBe("not_found");
    expect((await rejection(revokeTempCode(db, w.agentActor, { codeId: issued.codeId }, meta))).code).toBe("forbidden");
    expect((await codeRows(w.agent.id))[0]!.endedAt).toBeNull();

    expect(await revokeTempCode(db, w.actor, { codeId: issued.codeId }, meta)).toEqual({ revoked: true, userId: w.agent.id });
    expect((await listTempCodes(db, w.actor, w.agent.id)).codes).toEqual([]);
    expect((await codeRows(w.agent.id))[0]).toMatchObject({ endReason: "revoked" });
    const [entry] = await auditFor(w.org.id, "admin.temp_code.revoked");
    expect(entry).toMatchObject({
      actorUserId: w.admin.id,
      targetUserId: w.agent.id,
      detail: { codeId: issued.codeId, cause: "revoked_by_admin" },
    });
    // Twice: nothing more happens, and no second audit row.
    expect(await revokeTempCode(db, w.actor, { codeId: issued.codeId }, meta)).toEqual({ revoked: false, userId: w.agent.id });
    expect(await auditFor(w.org.id, "admin.temp_code.revoked")).toHaveLength(1);
  });

  it("an expired code leaves the list and is recorded as expired once, even with concurrent readers", async () => {
    const db = await getDb();
    const w = await world();
    const issued = await issueFor(w);
    await expire(issued.codeId);
    const lists = await Promise.all(Array.from({ length: 4 }, () => listTempCodes(db, w.actor, w.agent.id)));
    for (const list of lists) expect(list.codes).toEqual([]);
    const [row] = await codeRows(w.agent.id);
    expect(row).toMatchObject({ endReason: "expired" });
    expect(row!.endedAt!.getTime()).toBe(row!.expiresAt.getTime());
    const expired = await auditFor(w.org.id, "mfa.temp_code.expired");
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      actorType: "system",
      actorUserId: null,
      targetUserId: w.agent.id,
      detail: { codeId: issued.codeId },
    });
    // Revoking it now changes nothing: it already ended.
    expect((await revokeTempCode(db, w.actor, { codeId: issued.codeId }, meta)).revoked).toBe(false);
  });

  it("deactivating the member ends their live code: it cannot come back with a reactivation", async () => {
    const db = await getDb();
    const w = await world();
    const issued = await issueFor(w);
    await deactivateMember(db, w.actor, { userId: w.agent.id }, meta);
    const [row] = await codeRows(w.agent.id);
    expect(row).toMatchObject({ endReason: "revoked" });
    expect(row!.endedAt).not.toBeNull();
    const revoked = await auditFor(w.org.id, "admin.temp_code.revoked");
    expect(revoked.at(-1)).toMatchObject({ actorUserId: w.admin.id, detail: { codeId: issued.codeId, cause: "deactivated" } });
    await reactivateMember(db, w.actor, { userId: w.agent.id }, meta);
    expect((await listTempCodes(db, w.actor, w.agent.id)).codes).toEqual([]);
  });
});

describe("the organisation's setting (S38)", () => {
  it("turning codes off ends every live code of the organisation (each audited, counted in the policy row) and refuses new ones; other organisations keep theirs", async () => {
    const db = await getDb();
    const w = await world();
    const second = await createUser(w.org.id, { name: "Second Agent" });
    const a = await issueFor(w);
    const b = await issueTempCode(db, w.actor, issueInput(second.id), meta);
    const foreign = await issueTempCode(db, w.otherActor, issueInput(w.foreign.id), meta);

    // A form without the fields changes nothing about codes.
    await updatePolicy(db, w.actor, policy({ rememberDeviceDays: 20 }), meta);
    expect((await codeRows(w.agent.id))[0]!.endedAt).toBeNull();

    const result = await updatePolicy(db, w.actor, policy({ rememberDeviceDays: 20, tempCodesEnabled: "false" }), meta);
    expect(result.tempCodesEnded).toBe(2);
    for (const id of [a.codeId, b.codeId]) {
      const [row] = await db.select().from(tempAccessCodes).where(eq(tempAccessCodes.id, id));
      expect(row).toMatchObject({ endReason: "revoked" });
    }
    const [foreignRow] = await db.select().from(tempAccessCodes).where(eq(tempAccessCodes.id, foreign.codeId));
    expect(foreignRow!.endedAt).toBeNull();
    const revoked = await auditFor(w.org.id, "admin.temp_code.revoked");
    expect(revoked.map((r) => r.detail)).toEqual(
      expect.arrayContaining([
        { codeId: a.codeId, cause: "turned_off" },
        { codeId: b.codeId, cause: "turned_off" },
      ]),
    );
    const [changed] = (await auditFor(w.org.id, "admin.policy.updated")).slice(-1);
    expect(changed!.detail).toMatchObject({ changed: ["tempCodesEnabled"], tempCodesEnded: 2, after: { tempCodesEnabled: false } });

    const refused = await rejection(issueFor(w));
    expect(refused).toMatchObject({ code: "forbidden", message: TEMP_CODES_OFF_MESSAGE });
    expect((await listTempCodes(db, w.actor, w.agent.id)).enabled).toBe(false);
    await updatePolicy(db, w.actor, policy({ tempCodesEnabled: "on" }), meta);
    await issueFor(w);
  });

  it("a lower maximum shortens live codes to it; the maximum is validated (1 to 24)", async () => {
    const db = await getDb();
    const w = await world();
    const long = await issueFor(w, { hours: 20 });
    const result = await updatePolicy(db, w.actor, policy({ tempCodeMaxHours: "3" }), meta);
    expect(result.changed).toEqual(["tempCodeMaxHours"]);
    const [row] = await db.select().from(tempAccessCodes).where(eq(tempAccessCodes.id, long.codeId));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(3 * HOUR);
    const [org] = await db.select().from(organizations).where(eq(organizations.id, w.org.id));
    expect(org!.tempCodeMaxHours).toBe(3);
    expect((await auditFor(w.org.id, "admin.policy.updated")).at(-1)!.detail).toMatchObject({ tempCodesShortened: 1 });
    for (const tempCodeMaxHours of ["0", "25", "", "two"]) {
      expect(parseInput(policySchema, policyForm({ tempCodeMaxHours })).fieldErrors?.tempCodeMaxHours).toBeDefined();
    }
    // An agent cannot change it.
    expect((await rejection(updatePolicy(db, w.agentActor, policy({ tempCodesEnabled: false }), meta))).code).toBe("forbidden");
    const [after] = await db.select({ on: organizations.tempCodesEnabled }).from(organizations).where(eq(organizations.id, w.org.id));
    expect(after!.on).toBe(true);
  });
});
