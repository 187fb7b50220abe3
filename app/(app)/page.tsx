import type { Metadata } from "next";
import { Badge, Card, PageTitle, TextLink } from "@/components/ui";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const user = await requireUser();
  return (
    <>
      <PageTitle description="You are signed in.">Welcome, {user.name}</PageTitle>
      <Card>
        <dl className="grid gap-4 sm:grid-cols-3">
          <div>
            <dt className="text-sm text-slate-500 dark:text-slate-400">Name</dt>
            <dd className="font-medium" data-testid="home-name">{user.name}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500 dark:text-slate-400">Organisation</dt>
            <dd className="font-medium" data-testid="home-org">{user.org.name}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500 dark:text-slate-400">Role</dt>
            <dd data-testid="home-role">
              <Badge tone={user.role === "admin" ? "blue" : "slate"}>{user.role === "admin" ? "Admin" : "Agent"}</Badge>
            </dd>
          </div>
        </dl>
        <p className="mt-6 text-sm text-slate-600 dark:text-slate-400">
          Manage your name, password and two-factor authentication in your <TextLink href="/profile">profile</TextLink>.
        </p>
      </Card>
    </>
  );
}
