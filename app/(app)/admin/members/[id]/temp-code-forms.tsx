"use client";
import { useActionState, useState } from "react";
import { Field, SubmitButton, buttonClass } from "@/components/form";
import { LocalTime } from "@/components/local-time";
import type { ActionState } from "@/lib/action";
import { issueTempCodeAction, revokeTempCodeAction, type IssuedTempCode } from "./temp-code-actions";
import { AdminFormMessage, Checkbox, Select } from "../../_components/controls";

export type LiveTempCode = { id: string; issuer: string; createdAt: string; expiresAt: string; removeFactors: boolean };

/** The live codes, each with Revoke. One action state for the list, so its message outlives the revoked row. */
export function LiveTempCodes({ codes }: { codes: LiveTempCode[] }) {
  const [state, action] = useActionState<ActionState, FormData>(revokeTempCodeAction, {});
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-medium">Live codes</h3>
      <AdminFormMessage state={state} />
      {codes.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="temp-codes-none">
          None: no code can be used for this member right now.
        </p>
      ) : (
        <ul
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800"
          aria-label="Live temporary access codes"
        >
          {codes.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 p-3 text-sm" data-testid="temp-code-row">
              <div>
                <p>
                  Issued by <span className="font-medium">{c.issuer}</span> on <LocalTime iso={c.createdAt} />
                </p>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  Expires <LocalTime iso={c.expiresAt} />
                  {c.removeFactors && " · removes the old factors when used"}
                </p>
              </div>
              <form action={action} aria-label="Revoke code">
                <input type="hidden" name="codeId" value={c.id} />
                <SubmitButton tone="secondary" pendingText="Revoking…">
                  Revoke
                </SubmitButton>
              </form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Shown once, right after issuing: grouped for reading out, never stored anywhere the admin can come back to. */
function IssuedCode({ issued, name, onDone }: { issued: IssuedTempCode; name: string; onDone: () => void }) {
  return (
    <div
      className="space-y-3 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950"
      role="status"
    >
      <p className="font-semibold">Temporary access code for {name}</p>
      <p
        className="font-mono text-3xl font-semibold tracking-widest"
        data-testid="temp-code"
        aria-label={`Code: ${issued.code.split("").join(" ")}`}
      >
        {issued.code}
      </p>
      <p>
        Read it out to {name} now: it is shown only this once. It works for one sign-in, until <LocalTime iso={issued.expiresAt} /> (
        {issued.hours} hour{issued.hours === 1 ? "" : "s"}). Letters and digits only; there is no 0, O, 1, I or L.
        {issued.removeFactors && " When it is used, their old factors and recovery codes are removed."}
      </p>
      <p>After signing in they land on their two-factor settings, to set up a new authenticator.</p>
      <button type="button" className={buttonClass("secondary")} onClick={onDone}>
        Done, hide the code
      </button>
    </div>
  );
}

export function IssueTempCodeForm({ userId, name, maxHours }: { userId: string; name: string; maxHours: number }) {
  const [state, action] = useActionState<ActionState<IssuedTempCode>, FormData>(issueTempCodeAction, {});
  const [hidden, setHidden] = useState<ActionState<IssuedTempCode> | null>(null);
  if (state.ok && state.data && hidden !== state) {
    return <IssuedCode issued={state.data} name={name} onDone={() => setHidden(state)} />;
  }
  const hours = Array.from({ length: maxHours }, (_, i) => ({ value: String(i + 1), label: `${i + 1} hour${i === 0 ? "" : "s"}` }));
  return (
    <form action={action} className="max-w-md space-y-4" noValidate aria-label="Issue a temporary access code">
      <h3 className="text-sm font-medium">Issue a code</h3>
      <AdminFormMessage state={state.ok ? {} : state} />
      <input type="hidden" name="userId" value={userId} />
      <Select
        label="Valid for"
        name="hours"
        defaultValue={state.values?.hours ?? "1"}
        state={state}
        options={hours}
        hint={`At most ${maxHours} hour${maxHours === 1 ? "" : "s"} (your organisation's setting). It ends earlier once used or revoked.`}
      />
      <Field
        label="Reason"
        name="reason"
        required
        maxLength={500}
        autoComplete="off"
        state={state}
        hint="Recorded in the audit log and told to the member, for example “Lost phone, confirmed by a call on 25 Nov”."
      />
      <Checkbox
        name="removeFactors"
        label="Also remove their old factors when the code is used"
        hint="For a phone that was stolen, not just left at home: when the code is used, their authenticators, recovery codes and remembered browsers are removed and their other sessions end. Nothing is removed if the code is never used."
        defaultChecked={state.values?.removeFactors === "on"}
        state={state}
      />
      <Field
        label="Your password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        state={state}
        hint="Confirms it is really you."
      />
      <SubmitButton pendingText="Issuing…">Issue code</SubmitButton>
    </form>
  );
}
