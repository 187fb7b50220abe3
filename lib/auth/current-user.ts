/**
 * The signed-in user for this request, validated against the database every time (session row live,
 * version current, user active). Pages, server actions and route handlers all call this themselves.
 */
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import { getAuthOptions } from "./options";
import { validateSession, type CurrentUser } from "./sessions";

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const claims = session?.claims;
  if (!claims?.uid || !claims.sid || typeof claims.ver !== "number") return null;
  return validateSession(await getDb(), claims);
});

/** For pages: the user, or a redirect to the login page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") redirect("/?forbidden=1");
  return user;
}
