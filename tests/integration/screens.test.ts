/**
 * What the screens of issue 13 need from the use cases: the seconds until "Send a new code" works (so
 * the 2FA step can count down), and which remembered browser is the one asking ("This browser").
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import { emailCodes } from "@/lib/db/schema";
import { listDevMail } from "@/lib/mail/dev-mailbox";
import { EmailCooldownError } from "@/lib/mfa/email-codes";
import { confirmEmailEnrolment, startEmailEnrolment } from "@/lib/mfa/email-enrolment";
import { sendLoginEmailCode } from "@/lib/mfa/email-login";
import { EMAIL_RESEND_COOLDOWN_SECONDS } from "@/lib/mfa/email-shared";
import { listRememberedDevices } from "@/lib/mfa/remembered-devices";
import { PASSWORD, createUser, meta, orgWithAdmin, rejection, rememberBrowser } from "./factories";

afterEach(() => vi.unstubAllEnvs());

const codeOf = (text: string) => text.match(/^\s*(\d{6})\s*$/m)![1]!;

/** A member whose only second factor is email codes (delivered to the dev mailbox), at the 2FA step of a login. */
async function emailOnlyAtSecondStep() {
  vi.stubEnv("SMTP_URL", "");
  const db = await getDb();
  const { org } = await orgWithAdmin();
  const user = await createUser(org.id);
  const actor = { ...user, org };
  const started = await startEmailEnrolment(db, actor, { name: "Email" });
  expect(started.cooldownSeconds).toBe(EMAIL_RESEND_COOLDOWN_SECONDS);
  const [mail] = await listDevMail(db, { to: user.email, limit: 1 });
  await confirmEmailEnrolment(db, actor, { factorId: started.factorId, code: codeOf(mail!.text) }, meta);
  const { token } = await passwordStep(db, { email: user.email, password: PASSWORD }, meta);
  return { db, user, challenge: (await findChallenge(db, token))! };
}

describe("the resend cooldown, as the 2FA step counts it down", () => {
  it("a sent code starts the full cooldown; opening the screen again reports what is left of it; then zero", async () => {
    const { db, user, challenge } = await emailOnlyAtSecondStep();
    expect(await sendLoginEmailCode(db, challenge, { mode: "auto" })).toMatchObject({
      sent: true,
      resendInSeconds: EMAIL_RESEND_COOLDOWN_SECONDS,
    });
    const reopened = await sendLoginEmailCode(db, challenge, { mode: "auto" });
    expect(reopened.sent).toBe(false);
    expect(reopened.resendInSeconds).toBeGreaterThan(20);
    expect(reopened.resendInSeconds).toBeLessThanOrEqual(EMAIL_RESEND_COOLDOWN_SECONDS);
    const early = await rejection(sendLoginEmailCode(db, challenge, { mode: "resend" }));
    expect(early).toBeInstanceOf(EmailCooldownError);
    expect(early.retryAfterSeconds).toBe(reopened.resendInSeconds);

    await db
      .update(emailCodes)
      .set({ sentAt: sql`${emailCodes.sentAt} - interval '31 seconds'` })
      .where(eq(emailCodes.userId, user.id));
    expect(await sendLoginEmailCode(db, challenge, { mode: "auto" })).toMatchObject({ sent: false, resendInSeconds: 0 });
    expect(await sendLoginEmailCode(db, challenge, { mode: "resend" })).toMatchObject({
      sent: true,
      resendInSeconds: EMAIL_RESEND_COOLDOWN_SECONDS,
    });
  });
});

describe("remembered browsers", () => {
  it("mark the one whose cookie is presented, comparing hashes only", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin({ rememberDeviceDays: 30 });
    const user = await createUser(org.id);
    const remembered = { ...user, org };
    const first = (await rememberBrowser(db, remembered, meta))!;
    const second = (await rememberBrowser(db, remembered, { ...meta, userAgent: "another browser" }))!;
    const marks = async (token?: string | null) => (await listRememberedDevices(db, user.id, token)).map((d) => d.current);
    expect(await marks(second.token)).toEqual([false, true]);
    expect(await marks(first.token)).toEqual([true, false]);
    expect(await marks(null)).toEqual([false, false]);
    expect(await marks("not a token of this user")).toEqual([false, false]);
    const other = await createUser(org.id);
    expect((await listRememberedDevices(db, other.id, first.token)).some((d) => d.current)).toBe(false);
    expect(JSON.stringify(await listRememberedDevices(db, user.id, first.token))).not.toContain(first.token);
  });
});
