"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { NewPasswordFields } from "@/components/new-password-fields";
import type { ActionState } from "@/lib/action";
import { changePasswordAction, updateNameAction } from "./actions";

export function NameForm({ name }: { name: string }) {
  const [state, action] = useActionState<ActionState, FormData>(updateNameAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Your name">
      <FormMessage state={state} />
      <Field label="Name" name="name" defaultValue={name} autoComplete="name" required state={state} />
      <SubmitButton pendingText="Saving…">Save name</SubmitButton>
    </form>
  );
}

export function PasswordForm() {
  const [state, action] = useActionState<ActionState, FormData>(changePasswordAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Change password">
      <FormMessage state={state} />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required state={state} />
      <NewPasswordFields state={state} label="New password" name="newPassword" />
      <SubmitButton pendingText="Changing…">Change password</SubmitButton>
    </form>
  );
}
