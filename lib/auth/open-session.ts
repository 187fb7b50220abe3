/**
 * The end of every login, once every factor has passed: the completed challenge becomes a session
 * (consumeChallenge), the browser gets (or keeps) its device cookie for this user, and a browser that
 * had none is reported to the account owner by email (S25). Called by next-auth's authorize()
 * (lib/auth/options.ts), which sets the returned cookie value.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { organizations } from "@/lib/db/schema";
import { notifyUser } from "@/lib/mfa/notify";
import type { RequestMeta } from "@/lib/request-context";
import { consumeChallenge } from "./challenge";
import { issueDeviceCookie } from "./device-cookie";

export async function openSession(
  db: Db,
  input: { challengeToken: string | null | undefined; deviceCookie: string | null | undefined; meta: RequestMeta },
) {
  const result = await consumeChallenge(db, input.challengeToken, input.meta);
  if (!result) return null;
  const device = issueDeviceCookie(input.deviceCookie, result.user.id, result.user.sessionVersion);
  const newBrowser = !device.known;
  // The account's first sign-in ever (sign-up, accepted invitation) is no news to its owner.
  if (newBrowser && !result.firstSignIn) {
    const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, result.user.orgId));
    await notifyUser({ ...result.user, org: { name: org?.name ?? "" } }, "new-browser-sign-in", {
      at: new Date(),
      userAgent: input.meta.userAgent,
      ip: input.meta.ip,
    });
  }
  return { ...result, deviceCookie: device.value, newBrowser };
}
