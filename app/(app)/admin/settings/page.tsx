import type { Metadata } from "next";
import { PageTitle } from "@/components/ui";
import { getPolicy } from "@/lib/admin/settings";
import { requireAdmin } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/request-context";
import { parseDraft } from "./draft";
import { SettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "2FA policy" };

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireAdmin();
  const draft = parseDraft(await searchParams);
  const { org, graceDay, members, actorHas2fa } = await getPolicy(await getDb(), { id: user.id, orgId: user.orgId });
  return (
    <>
      <PageTitle description="Which second factors members may use, whether everyone must use one, and for how long a browser is remembered.">
        Two-factor authentication policy
      </PageTitle>
      <SettingsForm
        current={{
          allowTotp: org.allowTotp,
          allowEmail: org.allowEmail,
          allowWebauthn: org.allowWebauthn,
          adminMethods: org.adminMethods,
          require2fa: org.require2fa,
          graceDay,
          rememberDeviceDays: org.rememberDeviceDays,
          tempCodesEnabled: org.tempCodesEnabled,
          tempCodeMaxHours: org.tempCodeMaxHours,
        }}
        members={members}
        actorHas2fa={actorHas2fa}
        today={new Date().toISOString().slice(0, 10)}
        locale={await requestLocale()}
        draft={draft}
      />
    </>
  );
}
