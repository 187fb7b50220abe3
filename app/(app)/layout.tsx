import Image from "next/image";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ServiceUnavailable } from "@/components/service-unavailable";
import { SignOutButton } from "@/components/sign-out-button";
import { getCurrentUser } from "@/lib/auth/current-user";
import { PRODUCT_NAME } from "@/lib/config";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { formatGraceDay, graceDaysLeft, lastGraceDay } from "@/lib/mfa/policy";
import { requestLocale } from "@/lib/request-context";
import { AppMenu, MainNav, type NavLinkItem } from "./_components/header";

/** During the grace period: the days left to set up 2FA, agreeing with the last day shown. */
function GraceBanner({ until, locale }: { until: Date; locale: string }) {
  const days = graceDaysLeft(until);
  const left = days === 0 ? "Today is the last day" : `${days} day${days === 1 ? "" : "s"} left`;
  return (
    <div
      role="status"
      data-testid="grace-banner"
      className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
    >
      <p className="mx-auto max-w-5xl px-4 py-2 text-sm">
        Your organisation requires two-factor authentication. {left} to set it up (until{" "}
        {formatGraceDay(lastGraceDay(until), new Date(), locale)}).{" "}
        <Link href="/security/two-factor" className="font-semibold underline">
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
  const links: NavLinkItem[] = [
    { href: "/", label: "Home", section: "/" },
    { href: "/security/account", label: "Security", section: "/security" },
    ...(user.role === "admin" ? [{ href: "/admin", label: "Organisation", section: "/admin" }] : []),
  ];
  return (
    <div className="min-h-screen">
      <header className="relative border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-3 px-4 py-3">
          <div className="flex min-w-0 items-center gap-6">
            <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold">
              <Image src="/logo.svg" alt="" width={24} height={24} />
              {PRODUCT_NAME}
            </Link>
            <MainNav links={links} />
          </div>
          <div className="flex min-w-0 items-center gap-1">
            <AppMenu links={links} name={user.name} orgName={user.org.name} />
            <SignOutButton className="hidden md:block" />
          </div>
        </div>
      </header>
      {user.enrolBy && <GraceBanner until={user.enrolBy} locale={await requestLocale()} />}
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
