"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useRef } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { SECURITY_PAGES } from "../security/_components/pages";

export type NavLinkItem = { href: string; label: string; section: string };

function isActive(pathname: string, section: string) {
  return section === "/" ? pathname === "/" : pathname === section || pathname.startsWith(`${section}/`);
}

const linkClass =
  "rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800";
const currentClass =
  "aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white";
const menuItemClass = "block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800";

/** The main navigation, inline from 768px (md) up; on phones it is in the menu. */
export function MainNav({ links }: { links: NavLinkItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="hidden gap-1 md:flex">
      {links.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          aria-current={isActive(pathname, l.section) ? "page" : undefined}
          className={`${linkClass} ${currentClass}`}
        >
          {l.label}
        </Link>
      ))}
    </nav>
  );
}

function Chevron() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 shrink-0" fill="currentColor">
      <path d="M5.2 7.7a.75.75 0 0 1 1.06.02L10 11.6l3.74-3.88a.75.75 0 1 1 1.08 1.04l-4.28 4.45a.75.75 0 0 1-1.08 0L5.18 8.76a.75.75 0 0 1 .02-1.06Z" />
    </svg>
  );
}

function Bars() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      className="h-5 w-5 shrink-0 md:hidden"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
    >
      <path d="M3.5 5.5h13M3.5 10h13M3.5 14.5h13" />
    </svg>
  );
}

/**
 * The signed-in person's menu, under their name (name · organisation). It is a popover: the browser
 * opens and closes it without waiting for scripts, closes it on Escape (focus back on the button) or a
 * click outside, and tells assistive technology whether it is expanded. It lists the Security pages
 * (Login history among them); on phones (under 768px) it is the header's only menu, with the main
 * pages and Sign out too.
 */
export function AppMenu({ links, name, orgName }: { links: NavLinkItem[]; name: string; orgName: string }) {
  const pathname = usePathname();
  const panelId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const close = () => panelRef.current?.hidePopover();
  return (
    <>
      <button
        type="button"
        popoverTarget={panelId}
        className="flex max-w-[14rem] min-w-0 items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm text-slate-800 hover:bg-slate-100 sm:max-w-[18rem] md:border-transparent md:text-slate-700 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800 md:dark:border-transparent md:dark:text-slate-300"
      >
        <Bars />
        <span className="truncate" data-testid="whoami">
          {name} · {orgName}
        </span>
        <span className="sr-only">: menu</span>
        <Chevron />
      </button>
      <div
        ref={panelRef}
        id={panelId}
        popover="auto"
        data-testid="app-menu"
        className="app-menu m-0 rounded-b-lg border border-slate-200 bg-white p-2 text-slate-900 shadow-lg md:rounded-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <nav aria-label="Main" className="border-b border-slate-200 pb-2 md:hidden dark:border-slate-800">
          <ul className="space-y-0.5">
            {links.map((l) => (
              <li key={l.href}>
                <Link
                  href={l.href}
                  aria-current={isActive(pathname, l.section) ? "page" : undefined}
                  className={`${menuItemClass} ${currentClass}`}
                  onClick={close}
                >
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <p className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">Security</p>
        <ul className="space-y-0.5">
          {SECURITY_PAGES.map((p) => (
            <li key={p.href}>
              <Link
                href={p.href}
                aria-current={pathname === p.href ? "page" : undefined}
                className={`${menuItemClass} ${currentClass}`}
                onClick={close}
              >
                {p.label === "Two-factor" ? "Two-factor authentication" : p.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="mt-2 border-t border-slate-200 pt-2 md:hidden dark:border-slate-800">
          <SignOutButton className="w-full text-left" />
        </div>
      </div>
    </>
  );
}
