import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/styles";
import { Badge, Card, Notice, PageTitle, SectionTitle, TextLink } from "@/components/ui";
import { requireUser, type SessionUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { usableFactors } from "@/lib/mfa/factors";
import { METHOD_LABEL, formatGraceDay, lastGraceDay, mfaRequirement } from "@/lib/mfa/policy";
import { requestLocale } from "@/lib/request-context";

export const metadata: Metadata = { title: "Home" };

/** Whether 2FA protects this account, and when it does not, the way to turn it on. */
async function TwoFactorCard({ user }: { user: SessionUser }) {
  const [factors, locale] = await Promise.all([usableFactors(await getDb(), user, user.org), requestLocale()]);
  const methods = [...new Set(factors.map((f) => METHOD_LABEL[f.type]))];
  const required = mfaRequirement(user.org, user).required;
  const on = methods.length > 0;
  return (
    <Card>
      <div data-testid="home-2fa" data-state={on ? "on" : "off"} className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-xl">
          <SectionTitle>
            Two-factor authentication <Badge tone={on ? "green" : required ? "amber" : "slate"}>{on ? "On" : "Off"}</Badge>
          </SectionTitle>
          {on ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Signing in asks for a second step: {methods.join(" or ").toLowerCase()}.
            </p>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {user.enrolBy
                ? `Your organisation requires it: set it up by ${formatGraceDay(lastGraceDay(user.enrolBy), new Date(), locale)}.`
                : required
                  ? "Your organisation requires it."
                  : "Right now your password alone opens your account. A second step at sign-in, with an app on your phone, keeps it safe even if your password leaks."}
            </p>
          )}
        </div>
        {on ? (
          <Link href="/security/two-factor" className={buttonClass("secondary")}>
            Manage two-factor authentication
          </Link>
        ) : (
          <Link href="/security/two-factor" className={buttonClass("primary")}>
            Turn on two-factor authentication
          </Link>
        )}
      </div>
    </Card>
  );
}

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { forbidden } = await searchParams;
  return (
    <>
      <PageTitle description="You are signed in.">Welcome, {user.name}</PageTitle>
      <div className="space-y-6">
        {forbidden === "1" && <Notice tone="warning">That page is for your organisation&apos;s admins.</Notice>}
        <TwoFactorCard user={user} />
        <Card>
          <dl className="grid gap-4 sm:grid-cols-3">
            <div>
              <dt className="text-sm text-slate-600 dark:text-slate-400">Name</dt>
              <dd className="font-medium" data-testid="home-name">
                {user.name}
              </dd>
            </div>
            <div>
              <dt className="text-sm text-slate-600 dark:text-slate-400">Organisation</dt>
              <dd className="font-medium" data-testid="home-org">
                {user.org.name}
              </dd>
            </div>
            <div>
              <dt className="text-sm text-slate-600 dark:text-slate-400">Role</dt>
              <dd data-testid="home-role">
                <Badge tone={user.role === "admin" ? "blue" : "slate"}>{user.role === "admin" ? "Admin" : "Agent"}</Badge>
              </dd>
            </div>
          </dl>
          <p className="mt-6 text-sm text-slate-600 dark:text-slate-400">
            Manage your name, password, two-factor authentication and sessions in <TextLink href="/security/account">Security</TextLink>.
          </p>
        </Card>
      </div>
    </>
  );
}
