/**
 * `npm run admin -- unlock <email>`: clears every sign-in lock of a user (lib/auth/locks.ts) from the
 * server, for when no admin can sign in to do it (the only admin is the one locked out). Audited with
 * actorType "operator". The admin's "Unlock" on the member page does the same (lib/admin/member-actions.ts).
 */
import { eq } from "drizzle-orm";
import { audit } from "@/lib/audit";
import { clearLocks } from "@/lib/auth/locks";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

export async function operatorUnlock(db: Db, email: string, options: { operator?: string } = {}) {
  const address = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, address)).for("update");
    if (!user) throw new AppError("not_found", `No user with the email address ${address}.`);
    const { cleared, lockedBrowsers } = await clearLocks(tx, user);
    await audit(tx, {
      orgId: user.orgId,
      event: "operator.user.unlocked",
      actorType: "operator",
      actorUserId: null,
      targetUserId: user.id,
      detail: {
        wasLocked: cleared.length > 0,
        cleared: cleared.join(","),
        lockedBrowsers,
        ...(options.operator ? { operator: options.operator } : {}),
      },
      meta: { ip: "server", userAgent: "npm run admin" },
    });
    return { userId: user.id, email: user.email, role: user.role, cleared, lockedBrowsers };
  });
}
