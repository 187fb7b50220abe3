"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { forgotPasswordAction } from "./actions";

export function ForgotPasswordForm() {
  const [state, action] = useActionState<ActionState, FormData>(forgotPasswordAction, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Reset your password">
      <FormMessage state={state} />
      <Field label="Email" name="email" type="email" autoComplete="username" required state={state} />
      <SubmitButton className="w-full" pendingText="Sending…">
        Email me a link
      </SubmitButton>
    </form>
  );
}
