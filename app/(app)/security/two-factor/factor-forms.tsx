"use client";
import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { RecoveryCodes } from "@/components/recovery-codes";
import type { ActionState } from "@/lib/action";
import type { FactorType } from "@/lib/db/schema";
import { disableMfaAction, regenerateCodesAction, removeFactorAction, renameFactorAction } from "./actions";

const disclosure =
  "rounded-md border border-slate-200 px-3 py-2 text-sm dark:border-slate-700 [&[open]]:bg-slate-50 dark:[&[open]]:bg-slate-800/50";
const summary = "cursor-pointer select-none font-medium text-blue-700 dark:text-blue-400";

export function RenameFactorForm({ factorId, name }: { factorId: string; name: string }) {
  const [state, action] = useActionState<ActionState, FormData>(renameFactorAction, {});
  return (
    <details className={disclosure}>
      <summary className={summary}>Rename</summary>
      <form action={action} className="mt-3 max-w-sm space-y-3" noValidate aria-label={`Rename ${name}`}>
        <FormMessage state={state} />
        <input type="hidden" name="factorId" value={factorId} />
        <Field label="New name" name="name" defaultValue={name} maxLength={60} state={state} />
        <SubmitButton tone="secondary" pendingText="Saving…">
          Save name
        </SubmitButton>
      </form>
    </details>
  );
}

/** After a change that removes the form itself, the two-factor page shows the outcome (?notice=…). */
function useNoticeOnSuccess<T>(
  run: (prev: ActionState<T> | undefined, formData: FormData) => Promise<ActionState<T>>,
  notice: (r: ActionState<T>) => string,
) {
  const router = useRouter();
  return useActionState<ActionState<T>, FormData>(async (prev, formData) => {
    const result = await run(prev, formData);
    if (result.ok) router.push(`/security/two-factor?notice=${notice(result)}`);
    return result;
  }, {});
}

export function RemoveFactorForm({ factorId, name }: { factorId: string; name: string }) {
  const [state, action] = useNoticeOnSuccess(removeFactorAction, (r) => (r.data === "mfa-off" ? "mfa-off" : "factor-removed"));
  return (
    <details className={disclosure}>
      <summary className={summary}>Remove</summary>
      <form action={action} className="mt-3 max-w-sm space-y-3" noValidate aria-label={`Remove ${name}`}>
        <p className="text-slate-600 dark:text-slate-400">
          Enter your password to remove “{name}”. Your other sessions will be signed out.
        </p>
        <FormMessage state={state} />
        <input type="hidden" name="factorId" value={factorId} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" state={state} />
        <SubmitButton tone="danger" pendingText="Removing…">
          Remove
        </SubmitButton>
      </form>
    </details>
  );
}

export function RegenerateCodesForm({ orgName, factors }: { orgName: string; factors: FactorType[] }) {
  const router = useRouter();
  const [state, action] = useActionState<ActionState<{ codes: string[] }>, FormData>(regenerateCodesAction, {});
  if (state.ok && state.data) {
    return (
      <RecoveryCodes
        codes={state.data.codes}
        orgName={orgName}
        factors={factors}
        onDone={() => router.refresh()}
        doneLabel="Done"
        headingLevel={3}
      />
    );
  }
  return (
    <details className={disclosure}>
      <summary className={summary}>Generate new recovery codes</summary>
      <form action={action} className="mt-3 max-w-sm space-y-3" noValidate aria-label="Generate new recovery codes">
        <p className="text-slate-600 dark:text-slate-400">Your current codes stop working as soon as new ones are made.</p>
        <FormMessage state={state} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" state={state} />
        <SubmitButton tone="secondary" pendingText="Generating…">
          Generate new codes
        </SubmitButton>
      </form>
    </details>
  );
}

export function DisableMfaForm() {
  const [state, action] = useNoticeOnSuccess(disableMfaAction, () => "mfa-off");
  return (
    <details className={disclosure}>
      <summary className={summary}>Turn off two-factor authentication</summary>
      <form action={action} className="mt-3 max-w-sm space-y-3" noValidate aria-label="Turn off two-factor authentication">
        <p className="text-slate-600 dark:text-slate-400">
          This removes every authenticator and recovery code. Your account will be protected by your password only.
        </p>
        <FormMessage state={state} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" state={state} />
        <SubmitButton tone="danger" pendingText="Turning off…">
          Turn off 2FA
        </SubmitButton>
      </form>
    </details>
  );
}
