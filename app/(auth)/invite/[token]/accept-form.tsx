"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { NewPasswordFields } from "@/components/new-password-fields";
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
      <NewPasswordFields state={state} />
      <SubmitButton className="w-full" pendingText="Saving…">
        Set password
      </SubmitButton>
    </form>
  );
}
