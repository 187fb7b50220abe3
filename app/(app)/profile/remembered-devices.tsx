import { Card, SectionTitle } from "@/components/ui";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { listRememberedDevices } from "@/lib/mfa/remembered-devices";
import { describeUserAgent } from "@/lib/user-agent";
import { ForgetDeviceForm } from "./forget-device-form";

const fmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** Browsers that skip the second factor at sign-in (never the password), with "Forget". */
export async function RememberedDevices({ user }: { user: CurrentUser }) {
  const devices = await listRememberedDevices(await getDb(), user.id);
  if (devices.length === 0 && user.org.rememberDeviceDays <= 0) return null;
  return (
    <Card>
      <SectionTitle id="remembered-devices" description="These browsers skip the second step of sign-in (never the password) until the date shown.">
        Remembered browsers
      </SectionTitle>
      {devices.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No remembered browsers.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {devices.map((d) => {
            const label = describeUserAgent(d.userAgent).text;
            return (
              <li key={d.id} data-testid="remembered-device" className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
                <div>
                  <p className="font-medium">{label}</p>
                  <p className="text-xs text-slate-500 dark:text-slate-400">
                    {d.ip ?? "unknown address"} · remembered {fmt.format(d.createdAt)} · last used {d.lastUsedAt ? fmt.format(d.lastUsedAt) : "never"} · until {fmt.format(d.expiresAt)}
                  </p>
                </div>
                <ForgetDeviceForm deviceId={d.id} label={label} />
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
