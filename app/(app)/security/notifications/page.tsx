import type { Metadata } from "next";
import { Card, Notice, PageTitle, SectionTitle } from "@/components/ui";
import { getAlertPrefs } from "@/lib/alerts/prefs";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { NotificationsForm } from "./notifications-form";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const user = await requireUser();
  return (
    <>
      <PageTitle description="Emails about your account, and for admins, about your organisation's two-factor authentication.">
        Notifications
      </PageTitle>
      <div className="space-y-6">
        <Card>
          <SectionTitle id="own">About your own account</SectionTitle>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Security notices about your own account (a second factor added or removed, a new browser, a lockout, a password change) are
            always sent: they cannot be switched off.
          </p>
        </Card>
        {user.role === "admin" ? (
          <Card>
            <SectionTitle id="admin-alerts" description="Sent to every admin of your organisation. Your choices apply to you only.">
              Admin alerts: email me when
            </SectionTitle>
            <NotificationsForm prefs={await getAlertPrefs(await getDb(), { id: user.id, orgId: user.orgId })} />
          </Card>
        ) : (
          <Notice tone="info" title="Admin alerts">
            Alerts about the organisation&apos;s two-factor authentication go to its admins.
          </Notice>
        )}
      </div>
    </>
  );
}
