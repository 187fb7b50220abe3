import type { Metadata } from "next";
import { Card, PageTitle } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";
import { LoginHistory } from "./login-history";

export const metadata: Metadata = { title: "Login history" };

const LIMIT = 50;

export default async function LoginHistoryPage() {
  const user = await requireUser({ enrolment: true });
  return (
    <>
      <PageTitle
        description={`Your last ${LIMIT} sign-in attempts. A failure you did not make means someone tried your password: change it.`}
      >
        Login history
      </PageTitle>
      <Card>
        <LoginHistory user={user} limit={LIMIT} />
      </Card>
    </>
  );
}
