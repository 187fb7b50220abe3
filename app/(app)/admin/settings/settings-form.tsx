"use client";
import { startTransition, useActionState, useId, useState } from "react";
import { Field, SubmitButton } from "@/components/form";
import { Card, Notice, SectionTitle } from "@/components/ui";
import type { ActionState } from "@/lib/action";
import { policyImpact, type MemberFactors } from "@/lib/admin/policy-impact";
import type { FactorType } from "@/lib/db/schema";
import { updatePolicyAction } from "./actions";
import { AdminMethods } from "./admin-methods";
import type { PolicyDraftValues } from "./draft";
import { SaveBlockedReason, SetUpOwn2fa } from "./own-2fa";
import { AdminFormMessage, Checkbox } from "../_components/controls";

type Current = {
  allowTotp: boolean;
  allowEmail: boolean;
  allowWebauthn: boolean;
  adminMethods: FactorType[] | null;
  require2fa: boolean;
  graceDay: string | null;
  rememberDeviceDays: number;
  tempCodesEnabled: boolean;
  tempCodeMaxHours: number;
};

export function SettingsForm({
  current,
  members,
  actorHas2fa,
  today,
  locale,
  draft = null,
}: {
  current: Current;
  members: MemberFactors[];
  actorHas2fa: boolean;
  today: string;
  /** How dates are written (the browser's locale, as the date field shows them). */
  locale: string;
  /** The form as the admin left it for "Set up my 2FA now" (from the URL), shown instead of the saved policy. */
  draft?: PolicyDraftValues | null;
}) {
  const initial = draft ?? current;
  const [state, action, pending] = useActionState<ActionState, FormData>(updatePolicyAction, {});
  const [allowTotp, setAllowTotp] = useState(initial.allowTotp);
  const [allowEmail, setAllowEmail] = useState(initial.allowEmail);
  const [allowWebauthn, setAllowWebauthn] = useState(initial.allowWebauthn ?? current.allowWebauthn);
  const [adminMethods, setAdminMethods] = useState(initial.adminMethods === undefined ? current.adminMethods : initial.adminMethods);
  const [require2fa, setRequire2fa] = useState(initial.require2fa);
  const [graceDay, setGraceDay] = useState(initial.graceDay ?? "");
  const [tempCodes, setTempCodes] = useState(draft?.tempCodesEnabled ?? current.tempCodesEnabled);
  const impact = policyImpact(
    members,
    current,
    { allowTotp, allowEmail, allowWebauthn, adminMethods, require2fa, graceDay: require2fa && graceDay ? graceDay : null },
    undefined,
    locale,
  );
  // The server refuses the change without the admin's own 2FA (S28): say so before Save, not after.
  const needsOwn2fa = !actorHas2fa && (current.require2fa || require2fa);
  const blockedId = useId();

  return (
    // Submitted by hand rather than with <form action>: React resets a form after its action, which would
    // untick the checkboxes on screen while the preview (React state) still shows them ticked.
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => action(data));
      }}
      className="space-y-6"
      noValidate
      aria-label="Two-factor policy"
    >
      <AdminFormMessage state={state} />
      {draft && !state.ok && (
        <Notice tone="info" title="Your changes are back">
          This is the policy as you left it, not saved yet. Check it, then save.
        </Notice>
      )}
      {current.require2fa && !actorHas2fa && (
        <SetUpOwn2fa title="Your own 2FA is needed">
          Your organisation requires two-factor authentication, so changing this policy needs your own 2FA to be active.
        </SetUpOwn2fa>
      )}
      <Card>
        <SectionTitle description="Members can set up only the methods allowed here.">Allowed methods</SectionTitle>
        <div className="space-y-4">
          <Checkbox
            name="allowWebauthn"
            label="Security keys and passkeys"
            hint="A hardware key (such as a YubiKey) or a passkey on the member's device (Touch ID, Windows Hello, a phone). It only answers this site, so it cannot be phished. The strongest method."
            checked={allowWebauthn}
            onChange={(e) => setAllowWebauthn(e.target.checked)}
            state={state}
          />
          <Checkbox
            name="allowTotp"
            label="Authenticator app"
            hint="Codes from an app such as Google Authenticator, Microsoft Authenticator or 1Password. Recommended."
            checked={allowTotp}
            onChange={(e) => setAllowTotp(e.target.checked)}
            state={state}
          />
          <Checkbox
            name="allowEmail"
            label="Email codes"
            hint="A six-digit code sent to the member's email address."
            checked={allowEmail}
            onChange={(e) => setAllowEmail(e.target.checked)}
            state={state}
          />
          <Notice tone="warning" title="Email is the weaker method">
            Anyone who can read a member&apos;s mailbox can pass the second step. NIST SP 800-63B does not allow email as an out-of-band
            authenticator. Prefer the authenticator app, and turn email codes off if you can.
          </Notice>
          <AdminMethods
            value={adminMethods}
            onChange={setAdminMethods}
            allowed={{ webauthn: allowWebauthn, totp: allowTotp, email: allowEmail }}
            state={state}
          />
          {impact.lossWarning && (
            <div className="space-y-3 rounded-lg border border-amber-300 p-4 dark:border-amber-800" data-testid="method-off-warning">
              <p className="text-sm">{impact.lossWarning}</p>
              <ul className="list-inside list-disc text-sm text-slate-700 dark:text-slate-300">
                {impact.losing.map((m) => (
                  <li key={m.email}>
                    {m.name} ({m.email})
                  </li>
                ))}
              </ul>
              <Checkbox name="confirmMethodOff" label={`Turn it off anyway for these ${impact.losing.length} members`} state={state} />
            </div>
          )}
        </div>
      </Card>

      <Card>
        <SectionTitle description="Members who have not set up 2FA are asked to at their next sign-in.">Requirement</SectionTitle>
        <div className="space-y-4">
          <Checkbox
            name="require2fa"
            label="Require two-factor authentication for everyone in the organisation"
            checked={require2fa}
            onChange={(e) => setRequire2fa(e.target.checked)}
            state={state}
          />
          {require2fa && (
            <div className="max-w-xs">
              <Field
                label="Members may skip setup until (optional)"
                name="graceDay"
                type="date"
                min={current.graceDay && current.graceDay < today ? current.graceDay : today}
                value={graceDay}
                onChange={(e) => setGraceDay(e.target.value)}
                state={{ ...state, values: undefined }}
                hint="Through the end of that day (UTC). Leave empty to require it at the next sign-in."
              />
            </div>
          )}
          {require2fa && !current.require2fa && !actorHas2fa && (
            <SetUpOwn2fa title="Set up your own 2FA first">
              You have not set up two-factor authentication yourself. Do it before requiring it for everyone, so you cannot lock yourself
              out; you come back here afterwards, with this form as it is now.
            </SetUpOwn2fa>
          )}
          <div
            className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm dark:border-slate-800 dark:bg-slate-950"
            data-testid="policy-preview"
            aria-live="polite"
          >
            <p className="font-medium">Preview</p>
            <p className="mt-1">{impact.summary}</p>
            {impact.without2fa.length > 0 && (
              <details className="mt-2">
                <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Who has not set up 2FA</summary>
                <ul className="mt-2 list-inside list-disc text-slate-700 dark:text-slate-300">
                  {impact.without2fa.map((m) => (
                    <li key={m.email}>
                      {m.name} ({m.email})
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        </div>
      </Card>

      <Card>
        <SectionTitle description="After passing the second step a member may ask the browser to skip it for a while.">
          Remembered devices
        </SectionTitle>
        <div className="max-w-xs">
          <Field
            label="Remember a device for (days)"
            name="rememberDeviceDays"
            type="number"
            inputMode="numeric"
            min={0}
            max={365}
            step={1}
            defaultValue={String(draft?.rememberDeviceDays ?? current.rememberDeviceDays)}
            state={state}
            hint="0 = never: the second step is asked at every sign-in. At most 365. Lowering it forgets, for good, the browsers remembered longer ago than that; turning a method off forgets every remembered browser."
          />
        </div>
      </Card>

      <Card>
        <SectionTitle description="A one-time code an admin reads out to a member who lost their second factor; it replaces the second step once.">
          Temporary access codes
        </SectionTitle>
        <div className="space-y-4">
          {/* Sent when the box is unticked (the box comes after it and wins when ticked): unticked means off. */}
          <input type="hidden" name="tempCodesEnabled" value="false" />
          <Checkbox
            name="tempCodesEnabled"
            label="Admins may issue temporary access codes"
            hint="Turning this off ends every code that has not been used yet."
            checked={tempCodes}
            onChange={(e) => setTempCodes(e.target.checked)}
            state={state}
          />
          <div className="max-w-xs">
            <Field
              label="Longest validity admins may choose (hours)"
              name="tempCodeMaxHours"
              type="number"
              inputMode="numeric"
              min={1}
              max={24}
              step={1}
              disabled={!tempCodes}
              defaultValue={String(draft?.tempCodeMaxHours ?? current.tempCodeMaxHours)}
              state={state}
              hint="1 to 24. Lowering it shortens the codes already issued to the new limit."
            />
          </div>
        </div>
      </Card>

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton disabled={pending || needsOwn2fa} aria-describedby={needsOwn2fa ? blockedId : undefined}>
          {pending ? "Saving…" : "Save settings"}
        </SubmitButton>
        {needsOwn2fa && <SaveBlockedReason id={blockedId} />}
      </div>
    </form>
  );
}
