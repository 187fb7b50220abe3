import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";

/**
 * The old single profile page, split into Security (/security/…). Links to it live on in emails,
 * notices and bookmarks: a 2FA outcome (?setup, ?notice, ?welcome) goes to Two-factor, anything else
 * to Account, where /profile#two-factor and friends continue to their page (the browser keeps the
 * fragment through the redirect; app/(app)/security/_components/legacy-anchor.tsx).
 */
export default async function ProfileRedirect({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser({ enrolment: true }); // signed out: the login page, like every app page
  const params = await searchParams;
  const query = new URLSearchParams();
  for (const key of ["setup", "notice", "welcome"]) {
    const value = params[key];
    if (typeof value === "string" && value.length <= 40) query.set(key, value);
  }
  redirect(query.size > 0 ? `/security/two-factor?${query}` : "/security/account");
}
