/**
 * "Send password reset" on the member page: emails the member the same link as "Forgot your password?"
 * (lib/auth/reset-links.ts: single use, 30 minutes, older links stop working, the member's non-email
 * second factor is still asked for). Only an active admin of the member's organisation; audited as
 * `admin.password.reset.sent`. A failed email leaves no link behind and says so.
 */
import { z } from "zod";
import { audit } from "@/lib/audit";
import { issueResetLink } from "@/lib/auth/reset-links";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-context";
import { id } from "@/lib/validation";
import { assertAdmin, findMember, type AdminActor } from "./guard";

export const sendPasswordResetSchema = z.object({ userId: id("Choose a member.") });

export async function sendMemberPasswordReset(
  db: Db,
  actor: AdminActor,
  input: z.infer<typeof sendPasswordResetSchema>,
  ctx: { baseUrl: string; meta?: RequestMeta },
) {
  // Checked first for a clear answer, and again in the transaction that creates the link.
  const check = async (tx: Parameters<typeof assertAdmin>[0]) => {
    const { user: admin, org } = await assertAdmin(tx, actor);
    const member = await findMember(tx, actor, input.userId);
    if (member.deactivatedAt) throw new AppError("conflict", "This member is deactivated: reactivate them first.");
    if (!member.passwordHash)
      throw new AppError("conflict", "This member has not accepted their invitation yet: send a new invitation instead.");
    return { admin, org, member };
  };
  const { admin, org, member } = await check(db);
  const { expiresAt } = await issueResetLink(
    db,
    { user: member, org },
    {
      baseUrl: ctx.baseUrl,
      sentBy: { id: admin.id, name: admin.name },
      authorize: async (tx) => void (await check(tx)),
      audit: (tx) =>
        audit(tx, { orgId: org.id, event: "admin.password.reset.sent", actorUserId: admin.id, targetUserId: member.id, meta: ctx.meta }),
    },
  );
  return { email: member.email, expiresAt };
}
