import Link from "next/link";
import { buttonClass } from "@/components/styles";
import { Badge, Card, Notice, SectionTitle } from "@/components/ui";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { listFactors, remainingRecoveryCodes } from "@/lib/mfa/factors";
import { REQUIRED_BY_ADMIN_MESSAGE } from "@/lib/mfa/manage";
import { allowedMethods, mfaRequirement } from "@/lib/mfa/policy";
import { RECOVERY_LOW_WATERMARK } from "@/lib/mfa/recovery";
import { DisableMfaForm, RegenerateCodesForm, RemoveFactorForm, RenameFactorForm } from "./factor-forms";

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const when = (d: Date | null) => (d ? dateFormat.format(d) : "Never");
const typeLabel = { totp: "Authenticator app", email: "Email codes" } as const;

export async function TwoFactorSection({ user }: { user: CurrentUser }) {
  const db = await getDb();
  const [factors, remaining] = await Promise.all([listFactors(db, user.id), remainingRecoveryCodes(db, user.id)]);
  const allowed = allowedMethods(user.org);
  const requirement = mfaRequirement(user.org, user);
  const on = factors.length > 0;
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-2">
        <SectionTitle id="two-factor" description="A second step at sign-in, so a stolen password is not enough.">
          Two-factor authentication
        </SectionTitle>
        <span data-testid="mfa-status">
          {on ? <Badge tone="green">On</Badge> : requirement.required ? <Badge tone="amber">Required</Badge> : <Badge>Off</Badge>}
        </span>
      </div>

      {requirement.required && !on && (
        <div className="mb-4">
          <Notice tone="warning">Your administrator requires two-factor authentication. Set it up now.</Notice>
        </div>
      )}

      {factors.length > 0 && (
        <ul className="mb-6 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label="Your second factors">
          {factors.map((f) => (
            <li key={f.id} className="space-y-3 p-4" data-testid="factor-row">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <p className="font-medium" data-testid="factor-name">{f.name}</p>
                  <p className="text-xs text-slate-500 dark:text-slate-400">
                    {typeLabel[f.type]} · added {when(f.createdAt)} · last used {when(f.lastUsedAt)}
                    {!allowed.includes(f.type) && " · not allowed by your organisation"}
                  </p>
                </div>
              </div>
              <div className="flex flex-wrap gap-2">
                <RenameFactorForm factorId={f.id} name={f.name} />
                <RemoveFactorForm factorId={f.id} name={f.name} />
              </div>
            </li>
          ))}
        </ul>
      )}

      <div className="flex flex-wrap gap-3">
        {allowed.includes("totp") ? (
          <Link href="/profile/two-factor/authenticator" prefetch={false} className={buttonClass(on ? "secondary" : "primary")}>
            Add authenticator app
          </Link>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">Your organisation does not allow authenticator apps.</p>
        )}
        {allowed.includes("email") && !factors.some((f) => f.type === "email") && (
          <Link href="/profile/two-factor/email" prefetch={false} className={buttonClass("secondary")}>
            Set up email authentication
          </Link>
        )}
      </div>

      {on && (
        <div className="mt-8 space-y-3 border-t border-slate-200 pt-6 dark:border-slate-800">
          <h3 className="font-semibold">Recovery codes</h3>
          <p className="text-sm" data-testid="recovery-remaining">
            {remaining} of 10 recovery codes left.
            {remaining <= RECOVERY_LOW_WATERMARK && <span className="text-amber-700 dark:text-amber-400"> Generate new ones soon.</span>}
          </p>
          <RegenerateCodesForm orgName={user.org.name} />
        </div>
      )}

      {on && (
        <div className="mt-8 space-y-3 border-t border-slate-200 pt-6 dark:border-slate-800">
          {requirement.required ? (
            <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="mfa-required-note">{REQUIRED_BY_ADMIN_MESSAGE}</p>
          ) : (
            <DisableMfaForm />
          )}
        </div>
      )}
    </Card>
  );
}
