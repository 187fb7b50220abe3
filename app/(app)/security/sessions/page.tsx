import type { Metadata } from "next";
import { Card, PageTitle } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { RememberedDevices } from "./remembered-devices";
import { ActiveSessions } from "./sessions";

export const metadata: Metadata = { title: "Sessions and browsers" };

export default async function SessionsPage() {
  const user = await requireUser({ enrolment: true });
  return (
    <>
      <PageTitle description="Where you are signed in, and the browsers that skip the second step.">Sessions and browsers</PageTitle>
      <div className="space-y-6">
        <Card>
          <ActiveSessions user={user} />
        </Card>
        <RememberedDevices user={user} />
      </div>
    </>
  );
}
