"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { LEGACY_ANCHORS } from "./pages";

/**
 * Old links such as /profile#two-factor (emails, notices, bookmarks): the server cannot see the
 * fragment, so /profile sends everyone to the Account page and this moves on to the section's new page.
 */
export function LegacyAnchor() {
  const router = useRouter();
  useEffect(() => {
    const target = window.location.pathname === "/security/account" ? LEGACY_ANCHORS[window.location.hash] : undefined;
    if (target) router.replace(target);
  }, [router]);
  return null;
}
