import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findChallenge } from "@/lib/auth/challenge";
import { passwordStep } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import { organizations, rememberedDevices } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/mfa/enrol-totp";
import { removeFactor } from "@/lib/mfa/manage";
import { forgetDevice, isRememberedDevice, listRememberedDevices } from "@/lib/mfa/remembered-devices";
import { currentTotp } from "@/lib/mfa/totp";
import { changePassword } from "@/lib/users/profile";
import { PASSWORD, createUser, meta, orgWithAdmin, rememberBrowser } from "./factories";

async function setup(rememberDeviceDays = 30) {
  const db = await getDb();
  const { org } = await orgWithAdmin({ rememberDeviceDays });
  const user = await createUser(org.id);
  const actor = { ...user, org };
  const started = await startTotpEnrolment(db, actor);
  await confirmTotpEnrolment(db, actor, { factorId: started.factorId, name: "Phone", code: await currentTotp(started.secret) }, meta);
  const device = await rememberBrowser(db, actor, meta);
  return { db, org, user, actor, factorId: started.factorId, device: device! };
}

describe("remembered devices", () => {
  it("skip only the second factor: the password is still checked, and the token is stored only as a hash", async () => {
    const { db, user, device } = await setup();
    const [row] = await db.select().from(rememberedDevices).where(eq(rememberedDevices.userId, user.id));
    expect(JSON.stringify(row)).not.toContain(device.token);
    expect(row!.userAgent).toBe(meta.userAgent);
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta, { rememberedDevice: device.token })).next).toBe("done");
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta, { rememberedDevice: "some-other-token" })).next).toBe(
      "mfa",
    );
    expect((await passwordStep(db, { email: user.email, password: PASSWORD }, meta)).next).toBe("mfa");
    const wrong = await passwordStep(db, { email: user.email, password: "wrong password" }, meta, { rememberedDevice: device.token }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(AppError);
    const { token } = await passwordStep(db, { email: user.email, password: PASSWORD }, meta, { rememberedDevice: device.token });
    expect((await findChallenge(db, token))?.challenge.method).toBe("remembered");
  });

  it("another user's token does not work, nor one past its expiry or beyond the organisation's current setting", async () => {
    const a = await setup();
    const b = await setup();
    expect(await isRememberedDevice(a.db, { id: b.user.id, org: b.org }, a.device.token)).toBe(false);
    await a.db.update(organizations).set({ rememberDeviceDays: 0 }).where(eq(organizations.id, a.org.id));
    expect(await isRememberedDevice(a.db, { id: a.user.id, org: { rememberDeviceDays: 0 } }, a.device.token)).toBe(false);
    await a.db
      .update(rememberedDevices)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(rememberedDevices.userId, a.user.id));
    expect(await isRememberedDevice(a.db, { id: a.user.id, org: { rememberDeviceDays: 30 } }, a.device.token)).toBe(false);
  });

  it("is not offered when the organisation sets 0 days", async () => {
    const db = await getDb();
    const { org } = await orgWithAdmin({ rememberDeviceDays: 0 });
    const user = await createUser(org.id);
    expect(await rememberBrowser(db, { ...user, org }, meta)).toBeNull();
  });

  it("are listed and forgotten one by one; changing the password or removing a factor forgets them all", async () => {
    const s = await setup();
    expect(await listRememberedDevices(s.db, s.user.id)).toHaveLength(1);
    const [d] = await listRememberedDevices(s.db, s.user.id);
    const other = await setup();
    await expect(forgetDevice(s.db, other.actor, { deviceId: d!.id })).rejects.toBeInstanceOf(AppError);
    await forgetDevice(s.db, s.actor, { deviceId: d!.id }, meta);
    expect(await isRememberedDevice(s.db, { id: s.user.id, org: s.org }, s.device.token)).toBe(false);

    const again = await rememberBrowser(s.db, s.actor, meta);
    await changePassword(
      s.db,
      s.actor,
      { currentPassword: PASSWORD, newPassword: "another long passphrase", confirmPassword: "another long passphrase" },
      meta,
    );
    expect(await isRememberedDevice(s.db, { id: s.user.id, org: s.org }, again!.token)).toBe(false);

    const third = await setup();
    await rememberBrowser(third.db, third.actor, meta);
    const second = await startTotpEnrolment(third.db, third.actor);
    await confirmTotpEnrolment(
      third.db,
      third.actor,
      { factorId: second.factorId, name: "Tablet", code: await currentTotp(second.secret) },
      meta,
    );
    await removeFactor(third.db, third.actor, { factorId: second.factorId, password: PASSWORD }, meta);
    expect(await listRememberedDevices(third.db, third.user.id)).toHaveLength(0);
  });
});
