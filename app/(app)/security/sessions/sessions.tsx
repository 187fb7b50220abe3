/**
 * Security › Sessions and browsers: the browsers (and apps signed in through the API) where the user is signed in,
 * "Sign out" for each other one, and "sign out of all other sessions".
 */
import { LocalTime } from "@/components/local-time";
import { Badge, SectionTitle } from "@/components/ui";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { describeSession } from "@/lib/user-agent";
import { listActiveSessions } from "@/lib/users/own-sessions";
import { SignOutOthersForm } from "./sign-out-others-form";
import { SignOutSessionForm } from "./sign-out-session-form";

export async function ActiveSessions({ user }: { user: CurrentUser }) {
  const sessions = await listActiveSessions(await getDb(), { id: user.id, orgId: user.orgId, sessionId: user.sessionId });
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <SectionTitle
        id="sessions"
        description="Browsers and apps signed in to your account. If you do not recognise one, sign out of the others and change your password."
      >
        Where you are signed in
      </SectionTitle>
      <ul
        className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800"
        data-testid="session-list"
      >
        {sessions.map((s) => {
          const label = describeSession(s);
          return (
            <li
              key={s.id}
              className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 sm:flex-nowrap"
              data-testid="session-item"
              data-client-kind={s.clientKind ?? undefined}
            >
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {label}{" "}
                  {s.current && (
                    <span data-testid="this-browser">
                      <Badge tone="blue">This browser</Badge>
                    </span>
                  )}
                </p>
                <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
                  {s.ip ?? "Unknown address"} · Signed in <LocalTime iso={s.createdAt.toISOString()} /> · Last active{" "}
                  <LocalTime iso={s.lastSeenAt.toISOString()} />
                </p>
              </div>
              {!s.current && <SignOutSessionForm sessionId={s.id} label={label} />}
            </li>
          );
        })}
      </ul>
      <SignOutOthersForm otherCount={others} />
    </>
  );
}
