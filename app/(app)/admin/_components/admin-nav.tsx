"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/settings", label: "2FA policy" },
  { href: "/admin/members", label: "Members" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav({ extra = [] }: { extra?: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    // Four short tabs fit a 360px phone (tighter padding there); should one more not fit, the row wraps rather than hiding it.
    <nav
      aria-label="Organisation"
      className="relative mb-6 flex flex-wrap gap-x-0.5 border-b border-slate-200 sm:gap-x-1 dark:border-slate-800"
    >
      {[...LINKS, ...extra].map((l) => {
        const active = "exact" in l && l.exact ? pathname === l.href : pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-2 py-2 text-sm font-medium whitespace-nowrap sm:px-3 ${
              active
                ? "border-blue-700 text-blue-800 dark:border-blue-400 dark:text-blue-300"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
            }`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
