"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { SECURITY_PAGES } from "./pages";

/**
 * The Security area's own navigation: a column beside the page on wide screens, a row of pills that
 * wraps on phones (nothing is cut off or scrolled out of sight). The current page is aria-current.
 */
export function SecurityNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Security" className="mb-6 md:mb-0">
      <p className="mb-2 hidden text-xs font-semibold tracking-wide text-slate-500 uppercase md:block dark:text-slate-400">Security</p>
      <ul className="flex flex-wrap gap-2 md:flex-col md:gap-1">
        {SECURITY_PAGES.map((p) => {
          const active = pathname === p.href || pathname.startsWith(`${p.href}/`);
          return (
            <li key={p.href}>
              <Link
                href={p.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-full border px-3 py-1.5 text-sm font-medium md:rounded-md md:border-0 ${
                  active
                    ? "border-blue-700 bg-blue-50 text-blue-800 dark:border-blue-400 dark:bg-blue-950 dark:text-blue-200"
                    : "border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                {p.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
