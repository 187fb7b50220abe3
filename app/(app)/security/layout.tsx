import { LegacyAnchor } from "./_components/legacy-anchor";
import { SecurityNav } from "./_components/security-nav";

/**
 * Security: the user's own account, two-factor methods, sessions and remembered browsers, login
 * history, each on its own page under one sub-navigation. Each page authorises itself.
 */
export default function SecurityLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="md:grid md:grid-cols-[12rem_minmax(0,1fr)] md:gap-8">
      <SecurityNav />
      <div className="min-w-0">{children}</div>
      <LegacyAnchor />
    </div>
  );
}
