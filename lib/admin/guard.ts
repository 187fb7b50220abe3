/**
 * Authorisation for every admin use case, checked inside the use case against the database (never the
 * role a caller claims): the actor must be an active admin of their organisation, and a target user
 * must belong to that same organisation (otherwise "not found", so ids from elsewhere reveal nothing).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { organizations, users, type Role } from "@/lib/db/schema";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { usableFactors } from "@/lib/mfa/factors";
import type { MethodSettings, PolicyOrg } from "@/lib/mfa/policy";

export const NEEDS_OWN_2FA_MESSAGE =
  "Set up two-factor authentication on your own account first: your organisation requires it for changes to 2FA settings.";

/** Who is acting: the signed-in user (id and organisation come from the validated session). */
export type AdminActor = { id: string; orgId: string; sessionId?: string };

/** The acting admin as the method rules see them (an admin: lib/mfa/policy.ts isMethodAllowed). */
const asAdmin = (actor: AdminActor) => ({ id: actor.id, role: "admin" as const });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The acting admin's row and organisation, or "forbidden" for anyone else (agent, deactivated, unknown). */
export async function assertAdmin(db: Executor, actor: AdminActor) {
  if (!UUID.test(actor.id) || !UUID.test(actor.orgId)) throw forbidden();
  const [row] = await db
    .select({ user: users, org: organizations })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(users.id, actor.id), eq(users.orgId, actor.orgId), isNull(users.deactivatedAt)));
  if (!row || row.user.role !== "admin") throw forbidden();
  return row;
}

/** A user of the actor's organisation, or "not found". */
export async function findMember(db: Executor, actor: AdminActor, userId: string) {
  if (typeof userId !== "string" || !UUID.test(userId)) throw notFound("That member");
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.orgId, actor.orgId)));
  if (!row) throw notFound("That member");
  return row;
}

/** The actor has a confirmed second factor of a method the (given) policy allows. */
export async function hasActive2fa(db: Executor, user: { id: string; role: Role }, org: MethodSettings) {
  return (await usableFactors(db, user, org)).length > 0;
}

/**
 * S28: once the organisation requires 2FA, admin actions on 2FA (enforce, remove, policy change) need
 * the acting admin's own 2FA to be active.
 */
export async function assertOwn2faIfRequired(db: Executor, actor: AdminActor, org: PolicyOrg) {
  if (!org.require2fa) return;
  if (!(await hasActive2fa(db, asAdmin(actor), org))) throw new AppError("own_2fa_required", NEEDS_OWN_2FA_MESSAGE);
}
