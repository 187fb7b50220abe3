/**
 * The organisation's weekly compliance digest (lib/alerts/digest.ts) on the 2FA policy page: the time
 * zone whose Monday morning it follows, and the switch that asks for it when 2FA is not required for
 * everyone (when it is, the digest goes out anyway). Each admin can still switch it off for themselves.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { isTimeZone } from "@/lib/alerts/time-zone";
import { audit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { organizations } from "@/lib/db/schema";
import type { RequestMeta } from "@/lib/request-context";
import { checkbox } from "@/lib/validation";
import { assertAdmin, type AdminActor } from "./guard";

export const digestSettingsSchema = z.object({
  timeZone: z
    .string({ error: "Choose a time zone." })
    .trim()
    .refine((v) => isTimeZone(v), "Choose a time zone from the list."),
  weeklyDigest: checkbox,
});

export async function getDigestSettings(db: Db, actor: AdminActor) {
  const { org } = await assertAdmin(db, actor);
  return { timeZone: org.timeZone, weeklyDigest: org.weeklyDigest, require2fa: org.require2fa };
}

export async function updateDigestSettings(db: Db, actor: AdminActor, input: z.infer<typeof digestSettingsSchema>, meta?: RequestMeta) {
  return db.transaction(async (tx) => {
    const { org } = await assertAdmin(tx, actor);
    const changed = org.timeZone !== input.timeZone || org.weeklyDigest !== input.weeklyDigest;
    if (!changed) return { changed };
    await tx.update(organizations).set({ timeZone: input.timeZone, weeklyDigest: input.weeklyDigest }).where(eq(organizations.id, org.id));
    await audit(tx, {
      orgId: org.id,
      event: "admin.digest.updated",
      actorUserId: actor.id,
      detail: { timeZone: input.timeZone, weeklyDigest: input.weeklyDigest },
      meta,
    });
    return { changed };
  });
}
