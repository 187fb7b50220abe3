"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { finishLogin } from "@/components/complete-login";
import type { ActionState } from "@/lib/action";
import { createOrganization } from "./actions";

export function SignupForm() {
  const [state, action] = useActionState<ActionState, FormData>(async (prev, formData) => {
    const result = await createOrganization(prev, formData);
    return result.ok ? finishLogin("/profile?welcome=1") : result;
  }, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <Field label="Organisation name" name="organization" autoComplete="organization" required state={state} />
      <Field label="Your name" name="name" autoComplete="name" required state={state} />
      <Field label="Work email" name="email" type="email" autoComplete="email" required state={state} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        state={state}
        hint="At least 8 characters. A long passphrase is best."
      />
      <SubmitButton className="w-full" pendingText="Creating…">
        Create organisation
      </SubmitButton>
    </form>
  );
}
