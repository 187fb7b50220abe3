/** The member page's "Temporary access code" section: live codes with Revoke, and issuing a new one. */
import { Card, SectionTitle, TextLink } from "@/components/ui";
import type { AdminActor } from "@/lib/admin/guard";
import type { MemberRow } from "@/lib/admin/members-table";
import { listTempCodes } from "@/lib/admin/temp-codes";
import { getDb } from "@/lib/db/client";
import { IssueTempCodeForm, LiveTempCodes } from "./temp-code-forms";

export async function TempCodeSection({ actor, member, self }: { actor: AdminActor; member: MemberRow; self: boolean }) {
  const { codes, enabled, maxHours } = await listTempCodes(await getDb(), actor, member.id);
  const live = codes.map((c) => ({
    id: c.id,
    issuer: c.issuerType === "operator" ? "A server operator" : (c.issuerName ?? "A former admin"),
    createdAt: c.createdAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
    removeFactors: c.removeFactors,
  }));
  let unavailable: React.ReactNode = null;
  if (self) unavailable = "You cannot issue a code for yourself: manage your own two-factor authentication on your profile.";
  else if (!enabled) {
    unavailable = (
      <>
        Temporary access codes are turned off in your organisation&apos;s <TextLink href="/admin/settings">2FA policy</TextLink>.
      </>
    );
  } else if (member.deactivated) unavailable = "This member is deactivated: reactivate them first.";
  else if (member.invitation) unavailable = "This member has not accepted their invitation yet: send a new invitation instead.";

  return (
    <Card>
      <SectionTitle
        id="temp-code"
        description="For a member who lost their second factor: a one-time code you read out to them (for example over the phone). At sign-in it replaces the second step once; their password is still needed. You never see their secrets, and they are emailed that a code was issued."
      >
        Temporary access code
      </SectionTitle>
      <div className="space-y-6">
        <LiveTempCodes codes={live} />
        {unavailable ? (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="temp-code-unavailable">
            {unavailable}
          </p>
        ) : (
          <IssueTempCodeForm userId={member.id} name={member.name} maxHours={maxHours} />
        )}
      </div>
    </Card>
  );
}
