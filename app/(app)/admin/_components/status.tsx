/** Badges for a member's 2FA and account state (server-safe). */
import { Badge } from "@/components/ui";
import type { MemberRow } from "@/lib/admin/members-table";
import { METHOD_LABEL, formatGraceDay } from "@/lib/mfa/policy";
import { requestLocale } from "@/lib/request-context";

export async function MfaStatusBadges({ member }: { member: MemberRow }) {
  const locale = await requestLocale();
  return (
    <div className="flex flex-wrap gap-1" data-testid="mfa-status">
      {member.status === "enabled" && <Badge tone="green">Enabled: {member.methods.map((m) => METHOD_LABEL[m]).join(", ")}</Badge>}
      {member.status === "not_set_up" && <Badge tone="slate">Not set up</Badge>}
      {member.status === "due" && member.dueDay && (
        <Badge tone="amber">Required, due {formatGraceDay(member.dueDay, new Date(), locale)}</Badge>
      )}
      {member.status === "overdue" && <Badge tone="red">Required now (overdue)</Badge>}
      {member.locked && <Badge tone="red">Locked out</Badge>}
    </div>
  );
}

export function AccountBadges({ member }: { member: MemberRow }) {
  if (member.deactivated) return <Badge tone="slate">Deactivated</Badge>;
  if (member.invitation === "pending") return <Badge tone="blue">Invited</Badge>;
  if (member.invitation === "expired") return <Badge tone="amber">Invitation expired</Badge>;
  return null;
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDateTime(date: Date | null) {
  return date ? `${dateTime.format(date)} UTC` : "Never";
}
