import { requireAdmin } from "@/lib/auth/current-user";
import { AdminNav } from "./_components/admin-nav";

/**
 * Organisation admin area: refuses anyone who is not an active admin (requireAdmin redirects), then adds
 * the sub-navigation. A layout does not run for server actions or route handlers, so each page, action
 * and use case still authorises itself.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}
