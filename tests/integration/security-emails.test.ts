/**
 * S25: every 2FA change on an authenticator-app account sends its owner a security email, with no
 * secret in it (no TOTP secret, no recovery code). Mail goes to the dev mailbox here (no SMTP_URL).
 */
import { describe, expect, it } from "vitest";
import { findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { disableMfa, regenerateRecoveryCodes, removeFactor } from "@/lib/mfa/manage";
import { rememberDevice } from "@/lib/mfa/remembered-devices";
import { currentTotp } from "@/lib/mfa/totp";
import { verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { PASSWORD, createUser, meta, orgWithAdmin } from "./factories";

describe("security emails for authenticator-app events", () => {
  it("are sent for 2FA on, factor added and removed, codes regenerated, code used, browser remembered, lockout and 2FA off — without secrets", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const actor = { ...user, org };
    const secrets: string[] = [];

    const first = await startTotpEnrolment(db, actor);
    secrets.push(first.secret);
    const enrolled = await confirmTotpEnrolment(db, actor, { factorId: first.factorId, name: "Phone", code: await currentTotp(first.secret) }, meta);
    secrets.push(...enrolled.recoveryCodes!);
    const second = await startTotpEnrolment(db, actor);
    secrets.push(second.secret);
    await confirmTotpEnrolment(db, actor, { factorId: second.factorId, name: "Tablet", code: await currentTotp(second.secret) }, meta);
    await removeFactor(db, actor, { factorId: second.factorId, password: PASSWORD }, meta);
    const fresh = await regenerateRecoveryCodes(db, actor, { password: PASSWORD }, meta);
    secrets.push(...fresh);

    const login = async () => (await findChallenge(db, (await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).token))!;
    await verifyRecoveryLogin(db, await login(), { code: fresh[0]! }, meta);
    await rememberDevice(db, actor, meta);
    const locked = await login();
    for (let i = 0; i < 10; i++) await verifyTotpLogin(db, locked, { code: "000000" }, meta).catch(() => undefined);
    const { resetAttempts, keys } = await import("@/lib/attempts");
    await resetAttempts(db, keys.mfa(user.id));
    await disableMfa(db, actor, { password: PASSWORD }, meta);

    const mails = (await listDevMail(db, { to: user.email, limit: 50 })).reverse();
    const subjects = mails.map((m) => m.subject).join("\n");
    for (const title of [
      "Two-factor authentication is on",
      "A second factor was added",
      "A second factor was removed",
      "New recovery codes",
      "A recovery code was used",
      "A browser was remembered",
      "Sign-in locked after failed codes",
      "Two-factor authentication is off",
    ]) {
      expect(subjects, title).toContain(title);
    }
    const everything = mails.map((m) => `${m.subject}\n${m.text}\n${m.html}`).join("\n");
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(mails.find((m) => m.subject.includes("A recovery code was used"))!.text).toContain("9 recovery codes remain");
  });
});
