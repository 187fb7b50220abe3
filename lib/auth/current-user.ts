/**
 * The signed-in user for this request, validated against the database every time (session row live,
 * version current, user active). Pages, server actions and route handlers all call this themselves.
 */
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import { mfaAccess, type MfaAccess } from "./access";
import { getAuthOptions } from "./options";
import { validateSession, type CurrentUser } from "./sessions";

export type SessionUser = CurrentUser & MfaAccess;

export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const claims = session?.claims;
  if (!claims?.uid || !claims.sid || typeof claims.ver !== "number") return null;
  const db = await getDb();
  const user = await validateSession(db, claims);
  if (!user) return null;
  // The current policy on every request (S31): see lib/auth/access.ts.
  return { ...user, ...(await mfaAccess(db, user)) };
});

export const ENROL_PATH = "/security/two-factor";

/**
 * For pages: the user, or a redirect to the login page. A user who must set up 2FA first (S31) is sent
 * to Security › Two-factor unless the page is part of enrolment (`enrolment: true`).
 */
export async function requireUser(options: { enrolment?: boolean } = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (user.mustEnrol && !options.enrolment) redirect(`${ENROL_PATH}?setup=required`);
  return user;
}

export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") redirect("/?forbidden=1");
  return user;
}
