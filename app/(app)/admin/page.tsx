import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/styles";
import { Card, PageTitle, SectionTitle } from "@/components/ui";
import { listMembers } from "@/lib/admin/members-table";
import { requireAdmin } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { METHOD_LABEL, allowedMethods, formatGraceDay, lastGraceDay, mfaRequirement, orgMethods } from "@/lib/mfa/policy";
import { requestLocale } from "@/lib/request-context";

export const metadata: Metadata = { title: "Organisation" };

export default async function AdminOverviewPage() {
  const user = await requireAdmin();
  const { org, members } = await listMembers(await getDb(), { id: user.id, orgId: user.orgId });
  const active = members.filter((m) => !m.deactivated);
  const count = (f: (m: (typeof active)[number]) => boolean) => active.filter(f).length;
  const stats = [
    { label: "Active members", value: active.length, href: "/admin/members" },
    { label: "2FA enabled", value: count((m) => m.status === "enabled"), href: "/admin/members?status=enabled" },
    { label: "Not set up", value: count((m) => m.status === "not_set_up"), href: "/admin/members?status=not_set_up" },
    { label: "Required, due", value: count((m) => m.status === "due"), href: "/admin/members?status=due" },
    { label: "Overdue", value: count((m) => m.status === "overdue"), href: "/admin/members?status=overdue" },
    { label: "Locked out", value: count((m) => m.locked), href: "/admin/members?status=locked" },
  ];
  const methods = orgMethods(org);
  const adminOnly = org.adminMethods ? allowedMethods(org, "admin") : null;
  const requirement = mfaRequirement(org, { mfaEnforced: false });
  let requirementText = "Optional: members choose whether to set up 2FA.";
  if (org.require2fa) {
    requirementText =
      requirement.canSkip && requirement.graceUntil
        ? `Required for everyone. Members may skip setup until the end of ${formatGraceDay(lastGraceDay(requirement.graceUntil), new Date(), await requestLocale())} (UTC).`
        : "Required for everyone: members without 2FA must set it up at their next sign-in.";
  }

  return (
    <>
      <PageTitle description={`Two-factor authentication for ${org.name}.`}>Organisation</PageTitle>
      <div className="space-y-6">
        <Card>
          <SectionTitle>Members</SectionTitle>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
            {stats.map((s) => (
              <div key={s.label}>
                <dt className="text-sm text-slate-600 dark:text-slate-400">{s.label}</dt>
                <dd className="text-2xl font-semibold">
                  <Link href={s.href} className="hover:underline" data-testid={`stat-${s.label}`}>
                    {s.value}
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
          <div className="mt-6 flex flex-wrap gap-3">
            <Link href="/admin/members" className={buttonClass("secondary")}>
              Manage members
            </Link>
            <Link href="/admin/members/new" className={buttonClass("primary")}>
              Add user
            </Link>
          </div>
        </Card>
        <Card>
          <SectionTitle>2FA policy</SectionTitle>
          <dl className="space-y-3 text-sm">
            <div className="sm:flex sm:gap-4">
              <dt className="w-48 shrink-0 text-slate-600 dark:text-slate-400">Allowed methods</dt>
              <dd data-testid="policy-methods">
                {methods.length ? methods.map((m) => METHOD_LABEL[m]).join(", ") : "None"}
                {adminOnly && `; admins: ${adminOnly.length ? adminOnly.map((m) => METHOD_LABEL[m]).join(", ") : "none"}`}
              </dd>
            </div>
            <div className="sm:flex sm:gap-4">
              <dt className="w-48 shrink-0 text-slate-600 dark:text-slate-400">Requirement</dt>
              <dd data-testid="policy-requirement">{requirementText}</dd>
            </div>
            <div className="sm:flex sm:gap-4">
              <dt className="w-48 shrink-0 text-slate-600 dark:text-slate-400">Remembered devices</dt>
              <dd>
                {org.rememberDeviceDays === 0 ? "Never: the second step is asked at every sign-in." : `${org.rememberDeviceDays} days`}
              </dd>
            </div>
          </dl>
          <div className="mt-6">
            <Link href="/admin/settings" className={buttonClass("secondary")}>
              Change the policy
            </Link>
          </div>
        </Card>
      </div>
    </>
  );
}
