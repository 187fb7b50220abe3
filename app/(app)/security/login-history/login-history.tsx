/** Security › Login history: the user's recent sign-ins, failures and lockouts (from the audit log). */
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui";
import { methodLabel } from "@/lib/audit/labels";
import { loginHistory, type LoginHistoryEntry } from "@/lib/audit/queries";
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

const th = "py-2 pr-4 font-medium";
const td = "py-2 sm:pr-4";

export async function LoginHistory({ user, limit }: { user: CurrentUser; limit: number }) {
  const entries = await loginHistory(await getDb(), { id: user.id, orgId: user.orgId }, limit);
  if (entries.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No sign-ins recorded yet.</p>;
  return (
    <div className="stack-container">
      <table role="table" className="stack-table stack-flush w-full text-left text-sm" data-testid="login-history">
        <caption className="sr-only">Recent sign-in attempts, newest first</caption>
        <thead
          role="rowgroup"
          className="border-b border-slate-200 text-xs tracking-wide text-slate-600 uppercase dark:border-slate-800 dark:text-slate-400"
        >
          <tr role="row">
            <th role="columnheader" scope="col" className={th}>
              Time
            </th>
            <th role="columnheader" scope="col" className={th}>
              Result
            </th>
            <th role="columnheader" scope="col" className={th}>
              Method
            </th>
            <th role="columnheader" scope="col" className={th}>
              Browser
            </th>
            <th role="columnheader" scope="col" className="py-2 font-medium">
              Address
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-100 dark:divide-slate-800">
          {entries.map((e) => {
            const outcome = OUTCOMES[e.outcome];
            return (
              <tr role="row" key={e.id} data-testid="login-history-row" data-outcome={e.outcome}>
                <td role="cell" data-label="Time" className={`${td} whitespace-nowrap`}>
                  <LocalTime iso={e.createdAt.toISOString()} />
                </td>
                <td role="cell" data-label="Result" className={`${td} whitespace-nowrap`}>
                  <span>
                    <Badge tone={outcome.tone}>{outcome.text}</Badge>
                    {e.outcome !== "success" && <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">{step(e)}</span>}
                  </span>
                </td>
                <td role="cell" data-label="Method" className={td}>
                  {methodLabel(e.method)}
                </td>
                <td role="cell" data-label="Browser" className={td}>
                  {describeUserAgent(e.userAgent).text}
                </td>
                <td role="cell" data-label="Address" className="py-2 font-mono text-xs break-all">
                  {e.ip ?? "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
