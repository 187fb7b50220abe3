import { requireAdmin } from "@/lib/auth/current-user";
import { AdminNav } from "./_components/admin-nav";

/** Organisation admin area. Each page and action still authorises itself; this only adds the sub-navigation. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}
