import Link from "next/link";
import { redirect } from "next/navigation";
import { ServiceUnavailable } from "@/components/service-unavailable";
import { SignOutButton } from "@/components/sign-out-button";
import { getCurrentUser } from "@/lib/auth/current-user";
import { PRODUCT_NAME } from "@/lib/config";
import { isDatabaseUnavailable } from "@/lib/db/client";

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
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
