import type { Metadata } from "next";
import { Card, PageTitle } from "@/components/ui";
import { INVITATION_DAYS } from "@/lib/admin/invitations";
import { requireAdmin } from "@/lib/auth/current-user";
import { AddMemberForm } from "./add-member-form";

export const metadata: Metadata = { title: "Add user" };

export default async function AddMemberPage() {
  await requireAdmin();
  return (
    <>
      <PageTitle
        description={`They receive an email with a link to choose their password. The link works once and expires after ${INVITATION_DAYS} days.`}
      >
        Add user
      </PageTitle>
      <Card className="max-w-xl">
        <AddMemberForm />
      </Card>
    </>
  );
}
