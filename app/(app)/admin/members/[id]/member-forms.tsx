"use client";
import { useActionState, useState } from "react";
import { useFormStatus } from "react-dom";
import { ConfirmDialog } from "@/components/dialog";
import { Field, SubmitButton, buttonClass } from "@/components/form";
import type { ActionState } from "@/lib/action";
import type { Role } from "@/lib/db/schema";
import { AdminFormMessage, Select } from "../../_components/controls";
import { changeRoleAction, removeMfaAction, resendInvitationAction, setActiveAction, unlockAction } from "../actions";

const useAction = (action: (prev: ActionState | undefined, input: FormData) => Promise<ActionState>) =>
  useActionState<ActionState, FormData>(action, {});

export function RemoveMfaForm({ userId }: { userId: string }) {
  const [state, action] = useAction(removeMfaAction);
  return (
    <form action={action} className="max-w-md space-y-4" noValidate aria-label="Remove 2FA">
      <AdminFormMessage state={state} />
      <input type="hidden" name="userId" value={userId} />
      <Field
        label="Reason"
        name="reason"
        required
        maxLength={500}
        autoComplete="off"
        state={state}
        hint="Recorded in the audit log, for example “Lost phone, confirmed by a call on 25 Nov”."
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
      <SubmitButton tone="danger" pendingText="Removing…">
        Remove 2FA
      </SubmitButton>
    </form>
  );
}

export function UnlockForm({ userId }: { userId: string }) {
  const [state, action] = useAction(unlockAction);
  return (
    <form action={action} className="space-y-3" aria-label="Unlock">
      <AdminFormMessage state={state} />
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton tone="secondary" pendingText="Unlocking…">
        Unlock
      </SubmitButton>
    </form>
  );
}

export function RoleForm({ userId, role }: { userId: string; role: Role }) {
  const [state, action] = useAction(changeRoleAction);
  return (
    <form action={action} className="max-w-md space-y-4" aria-label="Change role">
      <AdminFormMessage state={state} />
      <input type="hidden" name="userId" value={userId} />
      <Select
        label="Role"
        name="role"
        defaultValue={role}
        key={role}
        state={state}
        options={[
          { value: "agent", label: "Agent" },
          { value: "admin", label: "Admin" },
        ]}
        hint="Admins manage members and the 2FA policy. The organisation always keeps at least one admin."
      />
      <SubmitButton tone="secondary" pendingText="Saving…">
        Change role
      </SubmitButton>
    </form>
  );
}

export function ResendInvitationForm({ userId }: { userId: string }) {
  const [state, action] = useAction(resendInvitationAction);
  return (
    <form action={action} className="space-y-3" aria-label="Send a new invitation">
      <AdminFormMessage state={state} />
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton tone="secondary" pendingText="Sending…">
        Send a new invitation
      </SubmitButton>
    </form>
  );
}

function ConfirmButton({ children }: { children: React.ReactNode }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={buttonClass("danger")}>
      {pending ? "Deactivating…" : children}
    </button>
  );
}

/**
 * Deactivate (after a dialog naming the member and what happens to them) or Reactivate (at once: it
 * only gives back what was taken).
 */
export function ActiveForm({ userId, name, deactivated, self }: { userId: string; name: string; deactivated: boolean; self: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [state, action] = useActionState<ActionState, FormData>(async (prev, formData) => {
    const result = await setActiveAction(prev, formData);
    setConfirming(false);
    return result;
  }, {});
  const fields = (
    <>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={deactivated ? "true" : "false"} />
    </>
  );
  return (
    <div className="space-y-3">
      <AdminFormMessage state={state} />
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {deactivated
          ? "This member cannot sign in. Reactivating lets them sign in again with their password (and 2FA)."
          : self
            ? "Deactivating your own account signs you out; another admin must reactivate you."
            : "A deactivated member cannot sign in; their sessions and remembered browsers end. Nothing is deleted."}
      </p>
      {deactivated ? (
        <form action={action} aria-label="Reactivate">
          {fields}
          <SubmitButton tone="secondary" pendingText="Saving…">
            Reactivate
          </SubmitButton>
        </form>
      ) : (
        <button type="button" className={buttonClass("danger")} onClick={() => setConfirming(true)}>
          Deactivate
        </button>
      )}
      {confirming && !deactivated && (
        <ConfirmDialog
          title={self ? "Deactivate your own account?" : `Deactivate ${name}?`}
          onCancel={() => setConfirming(false)}
          confirm={
            <form action={action} aria-label="Deactivate">
              {fields}
              <ConfirmButton>{self ? "Deactivate my account" : `Deactivate ${name}`}</ConfirmButton>
            </form>
          }
        >
          {self ? (
            <p>You are signed out at once, everywhere, and cannot sign in again until another admin reactivates you.</p>
          ) : (
            <>
              <p>
                {name} is signed out at once, everywhere, and cannot sign in until an admin reactivates them. Their remembered browsers end
                too.
              </p>
              <p>Nothing is deleted: their account, two-factor methods and history stay as they are.</p>
            </>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
