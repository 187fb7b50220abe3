import { Badge, Card, SectionTitle } from "@/components/ui";
import { readRememberedDeviceToken } from "@/lib/auth/challenge-cookie";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { listRememberedDevices } from "@/lib/mfa/remembered-devices";
import { requestLocale } from "@/lib/request-context";
import { describeUserAgent } from "@/lib/user-agent";
import { ForgetDeviceForm } from "./forget-device-form";

/** Browsers that skip the second factor at sign-in (never the password), with "Forget"; this browser is marked. */
export async function RememberedDevices({ user }: { user: CurrentUser }) {
  const [devices, locale] = await Promise.all([
    listRememberedDevices(await getDb(), user.id, await readRememberedDeviceToken()),
    requestLocale(),
  ]);
  if (devices.length === 0 && user.org.rememberDeviceDays <= 0) return null;
  const fmt = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  return (
    <Card>
      <SectionTitle
        id="remembered-devices"
        description="These browsers skip the second step of sign-in (never the password) until the date shown."
      >
        Remembered browsers
      </SectionTitle>
      {devices.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No remembered browsers.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {devices.map((d) => {
            const label = describeUserAgent(d.userAgent).text;
            return (
              <li
                key={d.id}
                data-testid="remembered-device"
                data-current={d.current || undefined}
                className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm"
              >
                <div>
                  <p className="font-medium">
                    {label}{" "}
                    {d.current && (
                      <span data-testid="this-remembered-browser">
                        <Badge tone="blue">This browser</Badge>
                      </span>
                    )}
                  </p>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    {d.ip ?? "unknown address"} · remembered {fmt.format(d.createdAt)} · last used{" "}
                    {d.lastUsedAt ? fmt.format(d.lastUsedAt) : "never"} · until {fmt.format(d.expiresAt)}
                  </p>
                </div>
                <ForgetDeviceForm deviceId={d.id} label={d.current ? `${label} (this browser)` : label} />
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
