/** Profile section: the user's recent sign-ins, failures and lockouts (from the audit log). */
import { LocalTime } from "@/components/local-time";
import { Badge, SectionTitle } from "@/components/ui";
import { loginHistory, type LoginHistoryEntry } from "@/lib/audit/queries";
import { methodLabel } from "@/lib/audit/labels";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { describeUserAgent } from "@/lib/user-agent";

const OUTCOMES: Record<LoginHistoryEntry["outcome"], { text: string; tone: "green" | "red" | "amber" }> = {
  success: { text: "Signed in", tone: "green" },
  failure: { text: "Failed", tone: "red" },
  locked: { text: "Locked out", tone: "amber" },
};

function step(entry: LoginHistoryEntry) {
  return entry.event.startsWith("mfa.") ? "second step" : "password step";
}

export async function LoginHistory({ user, limit = 20 }: { user: CurrentUser; limit?: number }) {
  const entries = await loginHistory(await getDb(), { id: user.id, orgId: user.orgId }, limit);
  return (
    <>
      <SectionTitle id="login-history" description={`Your last ${limit} sign-in attempts. A failure you did not make means someone tried your password: change it.`}>
        Login history
      </SectionTitle>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No sign-ins recorded yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="login-history">
            <caption className="sr-only">Recent sign-in attempts, newest first</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Time</th>
                <th scope="col" className="py-2 pr-4 font-medium">Result</th>
                <th scope="col" className="py-2 pr-4 font-medium">Method</th>
                <th scope="col" className="py-2 pr-4 font-medium">Browser</th>
                <th scope="col" className="py-2 font-medium">Address</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {entries.map((e) => {
                const outcome = OUTCOMES[e.outcome];
                return (
                  <tr key={e.id} data-testid="login-history-row" data-outcome={e.outcome}>
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <LocalTime iso={e.createdAt.toISOString()} />
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <Badge tone={outcome.tone}>{outcome.text}</Badge>
                      {e.outcome !== "success" && <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{step(e)}</span>}
                    </td>
                    <td className="py-2 pr-4">{methodLabel(e.method)}</td>
                    <td className="py-2 pr-4">{describeUserAgent(e.userAgent).text}</td>
                    <td className="py-2 font-mono text-xs">{e.ip ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
