/**
 * The end of every login, once every factor has passed: the session exists (lib/auth/session-sql.ts),
 * the browser gets (or keeps) its device cookie for this user, and a browser that had none is reported
 * to the account owner by email (S25). The login routes (app/api/login/*) set the returned cookies.
 */
import type { Executor } from "@/lib/db/client";
import { notifyUser } from "@/lib/mfa/notify";
import type { RequestMeta } from "@/lib/request-context";
import { consumeChallenge } from "./challenge";
import { issueDeviceCookie } from "./device-cookie";
import type { OpenedRow } from "./session-sql";

export type SignedIn = OpenedRow & { deviceCookie: string; newBrowser: boolean };

/** After the session opened: the device cookie's value, and the new-browser email when it is news to the owner. */
export async function afterSignIn(opened: OpenedRow, deviceCookie: string | null | undefined, meta: RequestMeta): Promise<SignedIn> {
  const device = issueDeviceCookie(deviceCookie, opened.userId, opened.sessionVersion);
  const newBrowser = !device.known;
  // The account's first sign-in ever (sign-up, accepted invitation) is no news to its owner.
  if (newBrowser && !opened.firstSignIn) {
    await notifyUser({ email: opened.email, name: opened.name, org: { name: opened.orgName } }, "new-browser-sign-in", {
      at: new Date(),
      userAgent: meta.userAgent,
      ip: meta.ip,
      client: meta.client,
    });
  }
  return { ...opened, deviceCookie: device.value, newBrowser };
}

/** A completed challenge (enrolment at login, "skip for now", password only) becomes a session. */
export async function openSession(
  db: Executor,
  input: { challengeToken: string | null | undefined; deviceCookie: string | null | undefined; meta: RequestMeta },
) {
  const opened = await consumeChallenge(db, input.challengeToken, input.meta);
  return opened ? afterSignIn(opened, input.deviceCookie, input.meta) : null;
}
