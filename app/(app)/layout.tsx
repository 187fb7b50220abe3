import Link from "next/link";
import { redirect } from "next/navigation";
import { ServiceUnavailable } from "@/components/service-unavailable";
import { SignOutButton } from "@/components/sign-out-button";
import { getCurrentUser } from "@/lib/auth/current-user";
import { PRODUCT_NAME } from "@/lib/config";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { daysUntil, formatGraceDay, lastGraceDay } from "@/lib/mfa/policy";

/** During the grace period: a countdown to the day after which setting up 2FA can no longer be skipped. */
function GraceBanner({ until }: { until: Date }) {
  const days = daysUntil(until);
  return (
    <div role="status" data-testid="grace-banner" className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
      <p className="mx-auto max-w-5xl px-4 py-2 text-sm">
        Your organisation requires two-factor authentication. {days <= 1 ? "Today is the last day" : `${days} days left`} to set it up (until{" "}
        {formatGraceDay(lastGraceDay(until))}).{" "}
        <Link href="/profile#two-factor" className="font-semibold underline">
          Set it up now
        </Link>
      </p>
    </div>
  );
}

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  let user;
  try {
    user = await getCurrentUser();
  } catch (error) {
    if (isDatabaseUnavailable(error)) return <ServiceUnavailable />;
    throw error;
  }
  if (!user) redirect("/login");
  const links = [
    { href: "/", label: "Home" },
    { href: "/profile", label: "Profile" },
    ...(user.role === "admin" ? [{ href: "/admin", label: "Organisation" }] : []),
  ];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex items-center gap-6">
            <Link href="/" className="font-semibold">
              {PRODUCT_NAME}
            </Link>
            <nav aria-label="Main" className="flex gap-1">
              {links.map((l) => (
                <Link
                  key={l.href}
                  href={l.href}
                  className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                >
                  {l.label}
                </Link>
              ))}
            </nav>
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 sm:inline dark:text-slate-400" data-testid="whoami">
              {user.name} · {user.org.name}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      {user.enrolBy && <GraceBanner until={user.enrolBy} />}
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
