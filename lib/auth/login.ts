/** The password step of login: verify, limit attempts, and open a login challenge for what comes next. */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { PASSWORD_ACCOUNT_LIMIT, PASSWORD_DEVICE_LIMIT, PASSWORD_IP_LIMIT, keys, minutesText, reserveAttempts } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import { sha256 } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { mfaFactors, organizations, rememberedDevices, users, type FactorType, type Role } from "@/lib/db/schema";
import { AppError, withReason } from "@/lib/errors";
import { allowedMethods, mfaRequirement, type PolicyOrg } from "@/lib/mfa/policy";
import { liveRememberedDevice } from "@/lib/mfa/remembered-devices";
import { verifyPassword } from "@/lib/passwords";
import type { RequestMeta } from "@/lib/request-context";
import { currentPassword, email } from "@/lib/validation";
import { createChallenge } from "./challenge";
import { deviceFor } from "./device-cookie";

export const GENERIC_LOGIN_ERROR = "Incorrect email or password.";

export const loginSchema = z.object({
  email,
  // Any length is checked against the hash (up to the 128 maximum): no hints about the password rules here.
  password: currentPassword(GENERIC_LOGIN_ERROR),
});

/**
 * What the login needs after the password:
 * - done: no second factor needed, the challenge is complete;
 * - mfa: the user has a usable factor, ask for it;
 * - enrol: 2FA is required and the user has none: they must set it up first (or may skip, in grace).
 */
export type NextStep = "done" | "mfa" | "enrol";

/** The step after the password, from the types of the user's confirmed factors (those their role may use count). */
export function nextStepFor(
  user: { role: Role; mfaEnforced: boolean; mfaResetAt?: Date | null },
  org: PolicyOrg,
  factorTypes: readonly string[],
): NextStep {
  const allowed = allowedMethods(org, user.role);
  if (factorTypes.some((t) => allowed.includes(t as FactorType))) return "mfa";
  return mfaRequirement(org, user).required ? "enrol" : "done";
}

/** A refused attempt for a known account is audited (`login.locked`); an unknown email leaves no trace. */
async function auditLocked(
  db: Db,
  user: { id: string; orgId: string; passwordHash: string | null } | undefined,
  limit: "account" | "device" | "address",
  meta: RequestMeta,
) {
  // Only for an account that can sign in: see the login.failure row below.
  if (user?.passwordHash) await audit(db, { orgId: user.orgId, event: "login.locked", targetUserId: user.id, detail: { limit }, meta });
}

/** The browser's cookies that the password step reads (both optional, both verified here). */
export type BrowserCookies = {
  /** Remembered-device token: a live remembered device of this user skips the second factor. */
  rememberedDevice?: string | null;
  /** Device cookie (lib/auth/device-cookie.ts): a browser that completed a full login for this user. */
  device?: string | null;
};

/**
 * Attempt limits, each reserved atomically before the password is checked: per client address for
 * everyone; then per browser for a browser that signed in to this account before (device cookie),
 * or the account-wide counter for any other browser. An attacker who knows only the email fills the
 * account-wide counter and locks out unknown browsers, never the user's own browsers.
 * `rememberedDevice` skips the second factor (never the password: that is checked first).
 */
export async function passwordStep(db: Db, input: z.infer<typeof loginSchema>, meta: RequestMeta, browser: BrowserCookies = {}) {
  // 1. The account, its organisation, its confirmed factor types and whether this browser is remembered,
  // in one query. Looking the user up names no secret; the same query runs for unknown emails.
  const remembered = browser.rememberedDevice && browser.rememberedDevice.length <= 200 ? sha256(browser.rememberedDevice) : "";
  const [row] = await db
    .select({
      user: users,
      org: organizations,
      factorTypes: sql<string>`(SELECT coalesce(string_agg(DISTINCT ${mfaFactors.type}, ','), '') FROM ${mfaFactors}
        WHERE ${mfaFactors.userId} = ${users.id} AND ${mfaFactors.confirmedAt} IS NOT NULL)`,
      remembered: sql<boolean>`EXISTS (SELECT 1 FROM ${rememberedDevices} WHERE ${rememberedDevices.tokenHash} = ${remembered}
        AND ${rememberedDevices.userId} = ${users.id} AND ${liveRememberedDevice(sql`${organizations.rememberDeviceDays}`)})`,
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, input.email));
  const device = row ? deviceFor(browser.device, row.user.id, row.user.sessionVersion) : null;
  const userKey = device ? keys.passwordDevice(device.userId, device.nonce) : keys.passwordAccount(input.email);
  const ipKey = keys.passwordIp(meta.ip);

  // 2. Both attempt limits, reserved before the password is checked: the address first, then the account.
  const reservation = await reserveAttempts(db, [
    { key: ipKey, limit: PASSWORD_IP_LIMIT },
    { key: userKey, limit: device ? PASSWORD_DEVICE_LIMIT : PASSWORD_ACCOUNT_LIMIT },
  ]);
  if (!reservation.allowed) {
    await auditLocked(db, row?.user, reservation.key === ipKey ? "address" : device ? "device" : "account", meta);
    const error = new AppError("rate_limited", `Too many sign-in attempts. Try again in ${minutesText(reservation.retryAfterSeconds)}.`);
    error.endsInSeconds = reservation.retryAfterSeconds;
    // The account's (or this browser's) lock is `locked`; the per-address limit stays a plain rate limit.
    throw reservation.key === ipKey ? error : withReason(error, "locked");
  }

  const ok = await verifyPassword(row?.user.passwordHash, input.password);

  if (!row || !ok || row.user.deactivatedAt) {
    // 3. Unknown emails are recorded too (no organisation: no admin sees them): monitoring, and the same
    // work on both paths so the answer takes the same time (S10; measured by `npm run bench`).
    // A member who never chose a password is recorded like an unknown email: their organisation's log
    // would otherwise tell its admin whether an added address has an account elsewhere (S39).
    const visible = row?.user.passwordHash ? row.user : null;
    await audit(db, {
      orgId: visible?.orgId ?? null,
      event: "login.failure",
      targetUserId: visible?.id ?? null,
      detail: {
        reason: !row ? "unknown_email" : row.user.deactivatedAt ? "deactivated" : !row.user.passwordHash ? "no_password" : "wrong_password",
      },
      meta,
    });
    throw new AppError("unauthorized", GENERIC_LOGIN_ERROR);
  }

  let next = nextStepFor(row.user, row.org, row.factorTypes ? row.factorTypes.split(",") : []);
  let method: string | null = next === "done" ? "password" : null;
  // A remembered browser skips the second factor (never the password: that was checked first).
  if (next === "mfa" && row.remembered && row.org.rememberDeviceDays > 0) {
    next = "done";
    method = "remembered";
  }
  // 3. The challenge, with the counters in the same statement: only the counter this browser used is
  // reset (a known browser's success leaves the account-wide lock alone), the address gets its attempt back.
  const { token } = await createChallenge(db, {
    userId: row.user.id,
    orgId: row.user.orgId,
    completedMethod: method,
    meta,
    resetKey: userKey,
    releaseKey: ipKey,
    rememberedTokenHash: method === "remembered" ? remembered : undefined,
  });
  return { token, next };
}
