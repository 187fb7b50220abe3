/** Organisation 2FA policy: allowed methods, "require for everyone" with a grace period, remembered devices. */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { z } from "zod";
import { audit } from "@/lib/audit";
import type { Db, Executor } from "@/lib/db/client";
import { factorTypes, mfaFactors, organizations, tempAccessCodes, users, type FactorType } from "@/lib/db/schema";
import { AppError, fieldError } from "@/lib/errors";
import {
  METHOD_ORDER,
  allowedMethods,
  graceUntilFromLastDay,
  lastGraceDay,
  mfaRequirement,
  orgMethods,
  type PolicyOrg,
} from "@/lib/mfa/policy";
import { endDevicesBeyond } from "@/lib/mfa/remembered-devices";
import { recordExpiredTempCodes, revokeTempCodes, shortenTempCodes, tempCodeHours } from "@/lib/mfa/temp-codes";
import type { RequestMeta } from "@/lib/request-context";
import { checkbox } from "@/lib/validation";
import { assertAdmin, assertOwn2faIfRequired, hasActive2fa, type AdminActor } from "./guard";
import { memberEmailSql } from "./member-email";
import { policyImpact, type MemberFactors } from "./policy-impact";

export const NEEDS_OWN_2FA_TO_REQUIRE_MESSAGE =
  "Set up two-factor authentication on your own account before requiring it for everyone, so you cannot lock yourself out.";

export const policySchema = z.object({
  allowTotp: checkbox,
  allowEmail: checkbox,
  allowWebauthn: checkbox,
  /**
   * Methods admins may use (comma-separated, within the allowed ones): "" or absent = the same as
   * everyone; "none" = no method (refused by updatePolicy).
   */
  adminMethods: z
    .string()
    .trim()
    .max(100)
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null;
      if (v === "none") return [] as FactorType[];
      const list = [...new Set(v.split(",").map((s) => s.trim()))];
      if (!list.every((m): m is FactorType => (factorTypes as readonly string[]).includes(m))) {
        ctx.addIssue({ code: "custom", message: "Choose methods from the list." });
        return z.NEVER;
      }
      return METHOD_ORDER.filter((m) => list.includes(m));
    }),
  require2fa: checkbox,
  /** Last day (YYYY-MM-DD, UTC) members may skip setting up 2FA; empty = no grace period. */
  graceDay: z
    .string()
    .trim()
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || graceUntilFromLastDay(v) !== null, "Enter a valid date."),
  rememberDeviceDays: z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v),
    z
      .number({ error: "Enter a number of days (0 for never)." })
      .int("Enter a whole number of days.")
      .min(0, "Enter 0 or more days.")
      .max(365, "Use at most 365 days."),
  ),
  /** The admin confirmed turning off a method some members rely on. */
  confirmMethodOff: checkbox,
  /**
   * Temporary access codes: on/off, and the longest validity admins may choose. Absent = unchanged (the
   * form always sends both: a hidden "false" before the checkbox, so an unticked box means off).
   */
  tempCodesEnabled: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === true || v === "on" || v === "true")),
  tempCodeMaxHours: tempCodeHours.optional(),
});

export type PolicyInput = z.input<typeof policySchema>;
export type Policy = z.output<typeof policySchema>;

/** Active members with their role and the types of their confirmed factors (every method, allowed or not). */
export async function memberFactorSummary(db: Executor, orgId: string): Promise<(MemberFactors & { id: string })[]> {
  const members = await db
    .select({ id: users.id, name: users.name, email: memberEmailSql(users), role: users.role })
    .from(users)
    .where(and(eq(users.orgId, orgId), isNull(users.deactivatedAt)))
    .orderBy(users.name, memberEmailSql(users));
  const factors = await db
    .selectDistinct({ userId: mfaFactors.userId, type: mfaFactors.type })
    .from(mfaFactors)
    .innerJoin(users, eq(users.id, mfaFactors.userId))
    .where(and(eq(users.orgId, orgId), isNotNull(mfaFactors.confirmedAt)));
  const byUser = new Map<string, FactorType[]>();
  for (const f of factors) byUser.set(f.userId, [...(byUser.get(f.userId) ?? []), f.type]);
  return members.map((m) => ({ ...m, types: byUser.get(m.id) ?? [] }));
}

export async function getPolicy(db: Db, actor: AdminActor) {
  const { user, org } = await assertAdmin(db, actor);
  const members = await memberFactorSummary(db, org.id);
  return {
    org,
    graceDay: org.graceUntil ? lastGraceDay(org.graceUntil) : null,
    members: members.map(({ name, email, types, role }) => ({ name, email, types, role })),
    actorHas2fa: await hasActive2fa(db, user, org),
  };
}

const today = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Saves the policy. Guardrails (the organisation cannot lock itself out):
 * - requiring 2FA needs at least one allowed method, and the acting admin's own 2FA under the new policy
 *   (also when 2FA is enforced on the admin themselves);
 * - a list of methods for admins must leave them at least one allowed method;
 * - turning off every method is refused while a member has 2FA enforced;
 * - turning off a method that members rely on needs `confirmMethodOff`;
 * - once the organisation requires 2FA, only an admin with active 2FA may change the policy (S28).
 * Lowering trust takes effect on what exists (S38), in the same transaction: fewer remember-browser
 * days end the remembered browsers older than that; turning a method off (for everyone or for admins) ends every remembered browser
 * of the organisation (a browser does not record which method remembered it); the audit row counts them.
 * Factors of a method turned off are kept but stop counting everywhere at once (usableFactors).
 * Turning temporary access codes off revokes every live code of the organisation; a lower maximum
 * validity shortens the live codes to it (each counted in the audit row, each ended code audited too).
 */
export async function updatePolicy(db: Db, actor: AdminActor, input: Policy, meta?: RequestMeta, now = new Date(), locale?: string) {
  return db.transaction(async (tx) => {
    const { org: current } = await assertAdmin(tx, actor);
    // Serialise policy changes of one organisation.
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, current.id)).for("update");
    await assertOwn2faIfRequired(tx, actor, current);

    const next: PolicyOrg = {
      allowTotp: input.allowTotp,
      allowEmail: input.allowEmail,
      allowWebauthn: input.allowWebauthn,
      adminMethods: input.adminMethods,
      require2fa: input.require2fa,
      graceUntil: input.require2fa && input.graceDay ? graceUntilFromLastDay(input.graceDay) : null,
    };
    const noMethod = orgMethods(next).length === 0;
    if (next.require2fa && noMethod) {
      throw fieldError("require2fa", "Allow at least one method before requiring two-factor authentication.");
    }
    if (noMethod) {
      const [enforced] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.orgId, current.id), eq(users.mfaEnforced, true), isNull(users.deactivatedAt)))
        .limit(1);
      if (enforced) throw fieldError("allowTotp", "Some members must use 2FA (enforced): keep at least one method allowed.");
    }
    if (!noMethod && next.adminMethods && allowedMethods(next, "admin").length === 0) {
      throw fieldError("adminMethods", "Leave admins at least one allowed method, or let them use the same methods as everyone.");
    }
    if (next.require2fa && input.graceDay) {
      const unchanged = current.require2fa && current.graceUntil?.getTime() === next.graceUntil?.getTime();
      if (!unchanged && input.graceDay < today(now)) throw fieldError("graceDay", "Choose today or a later date.");
    }
    // The acting admin must keep a usable method when 2FA is required for them (everyone, or enforced on them).
    const self = { id: actor.id, role: "admin" as const };
    const [own] = await tx.select({ mfaEnforced: users.mfaEnforced }).from(users).where(eq(users.id, actor.id));
    if (mfaRequirement(next, { mfaEnforced: !!own?.mfaEnforced }).required && !(await hasActive2fa(tx, self, next))) {
      if (await hasActive2fa(tx, self, current)) {
        throw fieldError("require2fa", "Your own 2FA uses a method you are turning off: add an allowed method to your account first.");
      }
      throw new AppError("own_2fa_required", NEEDS_OWN_2FA_TO_REQUIRE_MESSAGE);
    }

    const members = await memberFactorSummary(tx, current.id);
    const impact = policyImpact(members, current, { ...input, graceDay: next.require2fa ? input.graceDay : null }, now, locale);
    if (impact.lossWarning && !input.confirmMethodOff) {
      throw fieldError("confirmMethodOff", `${impact.lossWarning} Tick the box to confirm.`);
    }

    const after = {
      ...next,
      rememberDeviceDays: input.rememberDeviceDays,
      tempCodesEnabled: input.tempCodesEnabled ?? current.tempCodesEnabled,
      tempCodeMaxHours: input.tempCodeMaxHours ?? current.tempCodeMaxHours,
    };
    const before = {
      allowTotp: current.allowTotp,
      allowEmail: current.allowEmail,
      allowWebauthn: current.allowWebauthn,
      adminMethods: current.adminMethods,
      require2fa: current.require2fa,
      graceUntil: current.graceUntil,
      rememberDeviceDays: current.rememberDeviceDays,
      tempCodesEnabled: current.tempCodesEnabled,
      tempCodeMaxHours: current.tempCodeMaxHours,
    };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
      (k) =>
        String(before[k] instanceof Date ? (before[k] as Date).toISOString() : before[k]) !==
        String(after[k] instanceof Date ? (after[k] as Date).toISOString() : after[k]),
    );
    await tx.update(organizations).set(after).where(eq(organizations.id, current.id));
    // A method turned off, or closed to admins: a browser does not record which method remembered it.
    const methodTurnedOff = impact.turnedOff.length > 0 || impact.closedToAdmins.length > 0;
    const devicesEnded =
      methodTurnedOff || after.rememberDeviceDays < current.rememberDeviceDays
        ? await endDevicesBeyond(tx, current.id, methodTurnedOff ? 0 : after.rememberDeviceDays)
        : 0;
    const codes = await lowerTempCodes(tx, current, after, actor, meta);
    await audit(tx, {
      orgId: current.id,
      event: "admin.policy.updated",
      actorUserId: actor.id,
      detail: {
        changed,
        before: { ...before, graceUntil: before.graceUntil?.toISOString() ?? null },
        after: { ...after, graceUntil: after.graceUntil?.toISOString() ?? null },
        membersWithout2fa: impact.without2fa.length,
        membersLosing2fa: impact.losing.length,
        rememberedDevicesEnded: devicesEnded,
        tempCodesEnded: codes.ended,
        tempCodesShortened: codes.shortened,
      },
      meta,
    });
    return {
      summary: impact.summary,
      without2fa: impact.without2fa.length,
      losing: impact.losing.length,
      changed,
      devicesEnded,
      tempCodesEnded: codes.ended,
    };
  });
}

type TempCodeSetting = { id: string; tempCodesEnabled: boolean; tempCodeMaxHours: number };

/** S38 for temporary access codes, in the policy transaction: off ends the live codes, a lower maximum shortens them. */
async function lowerTempCodes(
  tx: Executor,
  current: TempCodeSetting,
  after: Omit<TempCodeSetting, "id">,
  actor: AdminActor,
  meta?: RequestMeta,
) {
  if (current.tempCodesEnabled && !after.tempCodesEnabled) {
    await recordExpiredTempCodes(tx, { orgId: current.id });
    const ended = await revokeTempCodes(tx, eq(tempAccessCodes.orgId, current.id), { actorUserId: actor.id, cause: "turned_off", meta });
    return { ended: ended.length, shortened: 0 };
  }
  if (after.tempCodesEnabled && after.tempCodeMaxHours < current.tempCodeMaxHours) {
    return { ended: 0, shortened: await shortenTempCodes(tx, current.id, after.tempCodeMaxHours) };
  }
  return { ended: 0, shortened: 0 };
}
