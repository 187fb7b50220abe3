/** The members page's "Pending invitations": invited, not accepted yet; expired links are marked. */
import { Badge } from "@/components/ui";
import type { PendingInvitation } from "@/lib/admin/pending-invitations";
import { InvitationActions } from "./invitation-forms";
import { formatDateTime } from "../_components/status";

export function PendingInvitations({ invitations }: { invitations: PendingInvitation[] }) {
  if (invitations.length === 0) return null;
  return (
    <section
      aria-labelledby="pending-invitations"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="pending-invitations" className="text-base font-semibold">
        Pending invitations
      </h2>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Invited people who have not chosen a password yet. A new link replaces the old one; revoking removes the invitation.
      </p>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {invitations.map((i) => (
          <li
            key={i.userId}
            data-testid="pending-invitation"
            data-email={i.email}
            className="flex flex-wrap items-start justify-between gap-3 py-3"
          >
            <div className="min-w-0">
              <p className="font-medium">{i.name}</p>
              <p className="break-all text-sm text-slate-600 dark:text-slate-400">{i.email}</p>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                Invited {formatDateTime(i.invitedAt)} ·{" "}
                {i.expired ? <Badge tone="red">Expired</Badge> : <>Link valid until {i.expiresAt ? formatDateTime(i.expiresAt) : "—"}</>}
              </p>
            </div>
            <InvitationActions userId={i.userId} email={i.email} />
          </li>
        ))}
      </ul>
    </section>
  );
}
