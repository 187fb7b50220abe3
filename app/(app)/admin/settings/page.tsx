import type { Metadata } from "next";
import { Card, PageTitle, SectionTitle } from "@/components/ui";
import { getDigestSettings } from "@/lib/admin/digest-settings";
import { getPolicy } from "@/lib/admin/settings";
import { knownTimeZones } from "@/lib/alerts/time-zone";
import { requireAdmin } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/request-context";
import { DangerZone } from "./danger-zone";
import { DigestSettings } from "./digest-settings";
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
      <Card className="mt-8">
        <SectionTitle
          id="digest"
          description="A Monday-morning summary for admins: who has 2FA, who has not and by when, the week's lockouts and resets."
        >
          Weekly compliance digest
        </SectionTitle>
        <DigestSettings current={await getDigestSettings(await getDb(), { id: user.id, orgId: user.orgId })} timeZones={knownTimeZones()} />
      </Card>
      <Card className="mt-8 border-red-300 dark:border-red-900">
        <SectionTitle
          id="danger-zone"
          description="Incident response for the whole organisation. Each action asks for your password, a reason and the organisation's name, and is recorded in the audit log."
        >
          Danger zone
        </SectionTitle>
        <DangerZone orgName={org.name} />
      </Card>
    </>
  );
}
