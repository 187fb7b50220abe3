import type { Metadata } from "next";
import { Card, TextLink } from "@/components/ui";
import { findInvitation, INVALID_INVITATION } from "@/lib/admin/invitations";
import { getDb } from "@/lib/db/client";
import { AcceptInvitationForm } from "./accept-form";

// The token is in the URL: never send it onwards in a Referer header, never index the page.
export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation(await getDb(), token);
  if (!invitation) {
    return (
      <Card>
        <h1 className="mb-2 text-xl font-semibold">Invitation not valid</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="invitation-invalid">
          {INVALID_INVITATION}
        </p>
        <p className="mt-6 text-sm">
          Already have a password? <TextLink href="/login">Sign in</TextLink>
        </p>
      </Card>
    );
  }
  return (
    <Card>
      <h1 className="mb-1 text-xl font-semibold">Join {invitation.orgName}</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        Hello {invitation.name}, choose a password for <span className="font-medium">{invitation.email}</span>. Afterwards you sign in with
        it.
      </p>
      <AcceptInvitationForm token={token} email={invitation.email} />
    </Card>
  );
}
