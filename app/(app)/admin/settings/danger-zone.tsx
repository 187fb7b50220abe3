"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { resetEveryoneMfaAction, signOutEveryoneAction } from "./incident-actions";
import { Select } from "../_components/controls";

type Action = (prev: ActionState | undefined, data: FormData) => Promise<ActionState>;

/** Password, reason and the organisation's name typed out: what both incident actions ask for. */
function Confirmation({ state, orgName }: { state: ActionState; orgName: string }) {
  return (
    <>
      <Field label="Reason (kept in the audit log and sent to members)" name="reason" state={state} maxLength={500} required />
      <Field label="Your password" name="password" type="password" autoComplete="current-password" state={state} required />
      <Field
        label={`Type the organisation's name to confirm: ${orgName}`}
        name="confirmName"
        state={state}
        autoComplete="off"
        spellCheck={false}
        required
      />
    </>
  );
}

function DangerForm({
  title,
  description,
  action,
  button,
  testId,
  orgName,
  children,
}: {
  title: string;
  description: string;
  action: Action;
  button: string;
  testId: string;
  orgName: string;
  children?: React.ReactNode;
}) {
  const [state, formAction] = useActionState<ActionState, FormData>(action, {});
  return (
    <form
      action={formAction}
      className="space-y-3 rounded-lg border border-red-300 p-4 dark:border-red-800"
      aria-label={title}
      data-testid={testId}
    >
      <h3 className="text-base font-semibold text-red-800 dark:text-red-300">{title}</h3>
      <p className="text-sm text-slate-700 dark:text-slate-300">{description}</p>
      <FormMessage state={state} />
      {children}
      <Confirmation state={state} orgName={orgName} />
      <SubmitButton tone="danger" pendingText="Working…">
        {button}
      </SubmitButton>
    </form>
  );
}

/** The policy page's danger zone: incident response for the whole organisation (issue #17). */
export function DangerZone({ orgName }: { orgName: string }) {
  return (
    <div className="space-y-4">
      <DangerForm
        title="Sign out everyone"
        description="Ends every session, remembered browser and sign-in in progress of every member, admins included, except this session of yours. Nobody's password or 2FA changes. Each member is emailed."
        action={signOutEveryoneAction}
        button="Sign out everyone"
        testId="danger-sign-out-everyone"
        orgName={orgName}
      />
      <DangerForm
        title="Require everyone to set up 2FA again"
        description="Removes every second factor and recovery code of the members you choose and signs them out. They must set up 2FA at their next sign-in, with no grace period. Choosing admins or everyone includes you: you will set yours up again right away. Each member is emailed."
        action={resetEveryoneMfaAction}
        button="Remove 2FA and require it again"
        testId="danger-reset-2fa"
        orgName={orgName}
      >
        <ResetScope />
      </DangerForm>
    </div>
  );
}

function ResetScope() {
  return (
    <Select
      label="Whose 2FA"
      name="scope"
      defaultValue="all"
      options={[
        { value: "all", label: "Everyone" },
        { value: "agent", label: "Agents only" },
        { value: "admin", label: "Admins only" },
      ]}
    />
  );
}
