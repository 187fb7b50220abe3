"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { acceptInvitationAction } from "./actions";

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const [state, action] = useActionState<ActionState, FormData>(acceptInvitationAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Choose your password">
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account this password belongs to. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        state={state}
        hint="8 to 128 characters, not your email address and not a common password. A long passphrase is best."
      />
      <Field label="Confirm password" name="confirmPassword" type="password" autoComplete="new-password" required state={state} />
      <SubmitButton className="w-full" pendingText="Saving…">
        Set password
      </SubmitButton>
    </form>
  );
}
