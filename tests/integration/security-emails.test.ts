/**
 * S25: every 2FA change on an authenticator-app account, a sign-in from a browser the user has not used
 * before and a password change send the owner a security email, with no secret in it (no TOTP secret,
 * recovery code, password, token or device cookie). Mail goes to the dev mailbox here (no SMTP_URL).
 */
import { describe, expect, it } from "vitest";
import { findChallenge } from "@/lib/auth/challenge";
import { parseDeviceCookie } from "@/lib/auth/device-cookie";
import { passwordStep } from "@/lib/auth/login";
import { openSession } from "@/lib/auth/open-session";
import { getDb } from "@/lib/db/client";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { disableMfa, regenerateRecoveryCodes, removeFactor } from "@/lib/mfa/manage";
import { currentTotp } from "@/lib/mfa/totp";
import { verifyRecoveryLogin, verifyTotpLogin } from "@/lib/mfa/verify-login";
import { changePassword } from "@/lib/users/profile";
import { PASSWORD, createUser, meta, orgWithAdmin, rememberBrowser } from "./factories";

describe("security emails for authenticator-app events", () => {
  it("are sent for 2FA on, factor added and removed, codes regenerated, code used, browser remembered, lockout and 2FA off — without secrets", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const actor = { ...user, org };
    const secrets: string[] = [];

    const first = await startTotpEnrolment(db, actor);
    secrets.push(first.secret);
    const enrolled = await confirmTotpEnrolment(
      db,
      actor,
      { factorId: first.factorId, name: "Phone", code: await currentTotp(first.secret) },
      meta,
    );
    secrets.push(...enrolled.recoveryCodes!);
    const second = await startTotpEnrolment(db, actor);
    secrets.push(second.secret);
    await confirmTotpEnrolment(db, actor, { factorId: second.factorId, name: "Tablet", code: await currentTotp(second.secret) }, meta);
    await removeFactor(db, actor, { factorId: second.factorId, password: PASSWORD }, meta);
    const fresh = await regenerateRecoveryCodes(db, actor, { password: PASSWORD }, meta);
    secrets.push(...fresh);

    const login = async () => (await findChallenge(db, (await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).token))!;
    await verifyRecoveryLogin(db, await login(), { code: fresh[0]! }, meta);
    await rememberBrowser(db, actor, meta);
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

describe("security emails for a sign-in from a new browser and a password change (S25)", () => {
  const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  const NEW_BROWSER = "New sign-in from a browser you have not used before";

  async function signIn(user: { email: string }, cookie: string | null, m = meta) {
    const db = await getDb();
    const { token, next } = await passwordStep(db, { email: user.email, password: PASSWORD }, m, { device: cookie });
    expect(next).toBe("done");
    const done = await openSession(db, { challengeToken: token, deviceCookie: cookie, meta: m });
    return { token, ...done! };
  }
  const noticesTo = async (email: string, subject: string) =>
    (await listDevMail(await getDb(), { to: email, limit: 50 })).filter((m) => m.subject.includes(subject));

  it("a new browser is reported once, with time, browser and address; a known browser is not; no secret in it", async () => {
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const other = await createUser(org.id);
    // The account's first sign-in ever (as after sign-up) tells its owner nothing new.
    const first = await signIn(user, null);
    expect(first.newBrowser).toBe(true);
    expect(await noticesTo(user.email, NEW_BROWSER)).toHaveLength(0);
    // The same browser again: no mail.
    await signIn(user, first.deviceCookie);
    expect(await noticesTo(user.email, NEW_BROWSER)).toHaveLength(0);

    // Another browser (here with someone else's device cookie, which does not count).
    const otherCookie = (await signIn(other, null)).deviceCookie;
    const away = { ip: "203.0.113.77", userAgent: FIREFOX };
    const second = await signIn(user, otherCookie, away);
    expect(second.newBrowser).toBe(true);
    const [mail, ...more] = await noticesTo(user.email, NEW_BROWSER);
    expect(more).toHaveLength(0);
    expect(mail!.text).toContain("Firefox 128 on Linux");
    expect(mail!.text).toContain("203.0.113.77");
    expect(mail!.text).toMatch(/Time: \d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC/);
    expect(mail!.text).toMatch(/If it wasn't, .*change your password/);
    // That browser is known from now on.
    await signIn(user, second.deviceCookie, away);
    expect(await noticesTo(user.email, NEW_BROWSER)).toHaveLength(1);

    const everything = `${mail!.subject}\n${mail!.text}\n${mail!.html}`;
    for (const secret of [
      PASSWORD,
      second.token,
      second.deviceCookie,
      first.deviceCookie,
      ...parseDeviceCookie(second.deviceCookie).map((e) => e.nonce),
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("a password change is reported, with time, browser and address, without either password", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin();
    const user = await createUser(org.id);
    const newPassword = "a brand new passphrase 42";
    await changePassword(
      db,
      { id: user.id, orgId: org.id },
      { currentPassword: PASSWORD, newPassword, confirmPassword: newPassword },
      { ip: "198.51.100.9", userAgent: FIREFOX },
    );
    const [mail, ...more] = await noticesTo(user.email, "Your password was changed");
    expect(more).toHaveLength(0);
    expect(mail!.text).toContain("Firefox 128 on Linux");
    expect(mail!.text).toContain("198.51.100.9");
    expect(mail!.text).toMatch(/If you did not change it/);
    const everything = `${mail!.subject}\n${mail!.text}\n${mail!.html}`;
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(newPassword);
  });
});
