import Link from "next/link";
import { buttonClass } from "@/components/styles";
import { Badge, Card, SectionTitle } from "@/components/ui";
import type { CurrentUser } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { listFactors, remainingRecoveryCodes } from "@/lib/mfa/factors";
import { REQUIRED_BY_ADMIN_MESSAGE } from "@/lib/mfa/manage";
import { METHOD_LABEL, allowedMethods, mfaRequirement } from "@/lib/mfa/policy";
import { RECOVERY_LOW_WATERMARK } from "@/lib/mfa/recovery";
import { requestLocale } from "@/lib/request-context";
import { DisableMfaForm, RegenerateCodesForm, RemoveFactorForm, RenameFactorForm } from "./factor-forms";
import { withReturn, type ReturnTo } from "../_components/return-to";

/** Security › Two-factor: the status, the methods (rename, remove, add), recovery codes, turning 2FA off. */
export async function TwoFactorSection({ user, back, children }: { user: CurrentUser; back: ReturnTo | null; children?: React.ReactNode }) {
  const db = await getDb();
  const [factors, remaining, locale] = await Promise.all([listFactors(db, user.id), remainingRecoveryCodes(db, user.id), requestLocale()]);
  const dateFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const when = (d: Date | null) => (d ? dateFormat.format(d) : "never");
  const allowed = allowedMethods(user.org, user.role);
  const requirement = mfaRequirement(user.org, user);
  const on = factors.length > 0;
  return (
    <>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Two-factor authentication</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">A second step at sign-in, so a stolen password is not enough.</p>
        </div>
        <span data-testid="mfa-status" className="mt-1">
          {on ? <Badge tone="green">On</Badge> : requirement.required ? <Badge tone="amber">Required</Badge> : <Badge>Off</Badge>}
        </span>
      </div>
      <div className="space-y-6">
        {children}
        <Card>
          <SectionTitle id="two-factor" description={on ? "Signing in asks for one of these." : "You have not added a method yet."}>
            Your methods
          </SectionTitle>
          {factors.length > 0 && (
            <ul
              className="mb-6 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800"
              aria-label="Your second factors"
            >
              {factors.map((f) => (
                <li key={f.id} className="space-y-3 p-4" data-testid="factor-row">
                  <div>
                    <p className="font-medium break-words" data-testid="factor-name">
                      {f.name}
                    </p>
                    <p className="text-xs text-slate-600 dark:text-slate-400">
                      {METHOD_LABEL[f.type]} · added {when(f.createdAt)} · last used {when(f.lastUsedAt)}
                      {!allowed.includes(f.type) && ` · not allowed by your organisation${user.role === "admin" ? " for admins" : ""}`}
                    </p>
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
              <Link
                href={withReturn("/security/two-factor/authenticator", back)}
                prefetch={false}
                className={buttonClass(on ? "secondary" : "primary")}
              >
                Add authenticator app
              </Link>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">Your organisation does not allow authenticator apps.</p>
            )}
            {allowed.includes("webauthn") && (
              <Link href={withReturn("/security/two-factor/security-key", back)} prefetch={false} className={buttonClass("secondary")}>
                Add a security key or passkey
              </Link>
            )}
            {allowed.includes("email") && !factors.some((f) => f.type === "email") && (
              <Link href={withReturn("/security/two-factor/email", back)} prefetch={false} className={buttonClass("secondary")}>
                Set up email authentication
              </Link>
            )}
          </div>
        </Card>

        {on && (
          <Card>
            <SectionTitle id="recovery-codes" description="Each code signs you in once when you cannot use your methods.">
              Recovery codes
            </SectionTitle>
            <p className="mb-3 text-sm" data-testid="recovery-remaining">
              {remaining} of 10 recovery codes left.
              {remaining <= RECOVERY_LOW_WATERMARK && <span className="text-amber-700 dark:text-amber-400"> Generate new ones soon.</span>}
            </p>
            <RegenerateCodesForm orgName={user.org.name} factors={[...new Set(factors.map((f) => f.type))]} />
          </Card>
        )}

        {on && (
          <Card>
            {requirement.required ? (
              <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="mfa-required-note">
                {REQUIRED_BY_ADMIN_MESSAGE}
              </p>
            ) : (
              <DisableMfaForm />
            )}
          </Card>
        )}
      </div>
    </>
  );
}
