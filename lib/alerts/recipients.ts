/** Who receives what: active admins who have not switched the kind off, and members who still must enrol. */
import { and, eq, inArray, isNotNull, isNull, ne, notExists, or, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { alertOptOuts, mfaFactors, roles, users, type Role } from "@/lib/db/schema";
import { allowedMethods, type MethodSettings } from "@/lib/mfa/policy";
import type { AlertKind } from "./kinds";

/** Active (signed up, not deactivated) admins of the organisation with `kind` switched on, except `exceptUserId`. */
export async function alertRecipients(db: Executor, orgId: string, kind: AlertKind, exceptUserId?: string) {
  return db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.orgId, orgId),
        eq(users.role, "admin"),
        isNull(users.deactivatedAt),
        isNotNull(users.passwordHash),
        exceptUserId ? ne(users.id, exceptUserId) : undefined,
        notExists(
          db
            .select({ one: sql`1` })
            .from(alertOptOuts)
            .where(and(eq(alertOptOuts.userId, users.id), eq(alertOptOuts.kind, kind))),
        ),
      ),
    );
}

/** Whether one admin still receives `kind` (checked again when the email is sent). */
export async function stillWantsAlert(db: Executor, orgId: string, userId: string, kind: AlertKind) {
  const rows = await alertRecipients(db, orgId, kind);
  return rows.some((r) => r.id === userId);
}

/**
 * Active members without a usable second factor. `graceOnly`: only those the organisation-wide requirement
 * covers with its grace period (not enforced individually, not reset by "set up again": no grace for them).
 */
export async function membersWithout2fa(
  db: Executor,
  org: MethodSettings & { id: string },
  options: { graceOnly?: boolean; userIds?: string[] } = {},
) {
  // A factor counts only if the member's role may use its method (admins may be held to fewer).
  const noUsableFactor = (role: Role) => {
    const allowed = allowedMethods(org, role);
    return and(
      eq(users.role, role),
      allowed.length
        ? notExists(
            db
              .select({ one: sql`1` })
              .from(mfaFactors)
              .where(and(eq(mfaFactors.userId, users.id), isNotNull(mfaFactors.confirmedAt), inArray(mfaFactors.type, allowed))),
          )
        : undefined,
    );
  };
  return db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.orgId, org.id),
        isNull(users.deactivatedAt),
        isNotNull(users.passwordHash),
        options.graceOnly ? and(eq(users.mfaEnforced, false), isNull(users.mfaResetAt)) : undefined,
        options.userIds ? inArray(users.id, options.userIds) : undefined,
        or(...roles.map(noUsableFactor)),
      ),
    )
    .orderBy(users.name);
}
