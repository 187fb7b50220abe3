import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, Notice, PageTitle, SectionTitle } from "@/components/ui";
import { getMember } from "@/lib/admin/members-table";
import { MFA_LIMIT, PASSWORD_ACCOUNT_LIMIT, PASSWORD_DEVICE_LIMIT, minutesText } from "@/lib/attempts";
import { requireAdmin } from "@/lib/auth/current-user";
import { describeLocks, LOCK_KINDS } from "@/lib/auth/locks";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { AccountBadges, formatDateTime, MfaStatusBadges } from "../../_components/status";
import { EnforceToggle } from "../enforce-toggle";
import { ActiveForm, RemoveMfaForm, ResendInvitationForm, RoleForm, UnlockForm } from "./member-forms";
import { PasswordResetSection } from "./password-reset-section";
import { TempCodeSection } from "./temp-code-section";

/** The longest of the sign-in locks: what "ends by itself after" promises. */
const LOCK_SECONDS = Math.max(PASSWORD_ACCOUNT_LIMIT.lockSeconds, PASSWORD_DEVICE_LIMIT.lockSeconds, MFA_LIMIT.lockSeconds);

export const metadata: Metadata = { title: "Member" };

/** Outcomes of actions whose form goes away afterwards (they redirect here with ?done=…). */
const DONE: Record<string, { tone: "success" | "warning"; text: string }> = {
  removed: {
    tone: "success",
    text: "Two-factor authentication was removed and the member was signed out everywhere. They were notified by email.",
  },
  "removed-no-mail": {
    tone: "warning",
    text: "Two-factor authentication was removed and the member was signed out everywhere, but the notification email could not be sent.",
  },
  unlocked: { tone: "success", text: "The lockout was lifted: the member can sign in again." },
  "not-locked": { tone: "success", text: "The member was not locked out (any lock had already ended); their attempt counters were reset." },
};

/** "?cleared=password,mfa" after Unlock: only known lock names are shown. */
function clearedText(value: string | string[] | undefined) {
  const kinds = LOCK_KINDS.filter((k) => typeof value === "string" && value.split(",").includes(k));
  return kinds.length > 0 ? ` Cleared: ${describeLocks(kinds)}.` : "";
}

export default async function MemberPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireAdmin();
  const { id } = await params;
  const query = await searchParams;
  let data;
  try {
    data = await getMember(await getDb(), { id: user.id, orgId: user.orgId }, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { member, invitationExpiresAt, factorCount } = data;
  const self = member.id === user.id;
  const done = typeof query.done === "string" ? DONE[query.done] : undefined;
  const doneText = done && `${done.text}${query.done === "unlocked" ? clearedText(query.cleared) : ""}`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/members" className="text-blue-700 hover:underline dark:text-blue-400">
          ← Members
        </Link>
      </p>
      <PageTitle description={member.email}>
        {member.name} {self && <span className="text-base font-normal text-slate-600 dark:text-slate-400">(you)</span>}
      </PageTitle>
      <div className="space-y-6">
        {done && (
          <Notice tone={done.tone}>
            <span data-testid="member-notice">{doneText}</span>
          </Notice>
        )}
        {query.added === "1" && (
          <Notice tone="success" title="User added">
            An invitation was emailed to {member.email}. The link works once and expires on {formatDateTime(invitationExpiresAt)}.
          </Notice>
        )}
        {query.added === "0" && (
          <Notice tone="error" title="User added, but the invitation email could not be sent">
            Use “Send a new invitation” below to try again.
          </Notice>
        )}
        <Card>
          <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Role</dt>
              <dd className="mt-1">
                <Badge tone={member.role === "admin" ? "blue" : "slate"}>{member.role === "admin" ? "Admin" : "Agent"}</Badge>
              </dd>
            </div>
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Two-factor authentication</dt>
              <dd className="mt-1">
                <MfaStatusBadges member={member} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Account</dt>
              <dd className="mt-1">
                <AccountBadges member={member} />
                {!member.deactivated && !member.invitation && <Badge tone="green">Active</Badge>}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Last login</dt>
              <dd className="mt-1">{formatDateTime(member.lastLoginAt)}</dd>
            </div>
          </dl>
        </Card>

        <Card>
          <SectionTitle id="mfa" description="An admin never sees a member's secrets or codes.">
            Two-factor authentication
          </SectionTitle>
          <div className="space-y-6">
            <div>
              <h3 className="mb-2 text-sm font-medium">Enforce 2FA</h3>
              <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
                When enforced, this member must use two-factor authentication, with no grace period.
              </p>
              <EnforceToggle userId={member.id} name={member.name} enforced={member.mfaEnforced} showLabel />
            </div>
            {!self && (factorCount > 0 || member.locks.includes("mfa")) && (
              <div>
                <h3 className="mb-2 text-sm font-medium">Remove 2FA (lost device)</h3>
                <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
                  Removes every authenticator, recovery code and remembered browser of this member and signs them out everywhere. They are
                  emailed, and the action is recorded with your reason. They then set up 2FA again at their next sign-in.
                </p>
                <RemoveMfaForm userId={member.id} />
              </div>
            )}
            {self && (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Manage your own two-factor authentication in{" "}
                <Link href="/security/two-factor" className="text-blue-700 hover:underline dark:text-blue-400">
                  Security
                </Link>
                .
              </p>
            )}
          </div>
        </Card>

        <TempCodeSection actor={{ id: user.id, orgId: user.orgId }} member={member} self={self} />

        <Card>
          <SectionTitle id="role">Role</SectionTitle>
          <RoleForm userId={member.id} role={member.role} />
        </Card>

        <PasswordResetSection member={member} />

        <Card>
          <SectionTitle id="access">Access</SectionTitle>
          <div className="space-y-6">
            {member.locked && (
              <div>
                <h3 className="mb-2 text-sm font-medium">Locked out</h3>
                <p className="mb-3 text-sm text-slate-600 dark:text-slate-400" data-testid="member-locks">
                  Too many failed attempts: {describeLocks(member.locks)} {member.locks.length > 1 ? "are" : "is"} locked. Each lock ends by
                  itself after {minutesText(LOCK_SECONDS)}, or you can lift them all now.
                </p>
                <UnlockForm userId={member.id} />
              </div>
            )}
            {member.invitation && !member.deactivated && (
              <div>
                <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
                  {member.invitation === "pending"
                    ? `The invitation has not been accepted yet (expires ${formatDateTime(invitationExpiresAt)}).`
                    : "The invitation expired before it was accepted."}
                </p>
                <ResendInvitationForm userId={member.id} />
              </div>
            )}
            <ActiveForm userId={member.id} name={member.name} deactivated={member.deactivated} self={self} />
          </div>
        </Card>
      </div>
    </>
  );
}
