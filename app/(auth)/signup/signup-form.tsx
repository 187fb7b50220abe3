"use client";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { NewPasswordFields } from "@/components/new-password-fields";
import type { ActionState } from "@/lib/action";
import { requestSignupAction } from "./actions";

/** The sign-up form; once sent, "Check your email" (the same for every address). */
export function SignupForm({ linkHours }: { linkHours: number }) {
  const [state, action] = useActionState<ActionState<{ email: string }>, FormData>(requestSignupAction, {});
  if (state.ok && state.data) {
    return (
      <div data-testid="signup-sent" role="status">
        <h1 className="mb-2 text-xl font-semibold">Check your email</h1>
        <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
          We sent a message to <span className="font-medium">{state.data.email}</span>. Open the link in it to finish: your organisation is
          created only then.
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The link works once and expires after {linkHours} hours. Nothing arrived? Check your spam folder, or sign up again for a new link
          (the older one stops working).
        </p>
      </div>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create your organisation</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        You will be its first administrator. We email you a link to confirm your address.
      </p>
      <form action={action} className="space-y-4" noValidate>
        <FormMessage state={state} />
        <Field label="Organisation name" name="organization" autoComplete="organization" required state={state} />
        <Field label="Your name" name="name" autoComplete="name" required state={state} />
        <Field label="Work email" name="email" type="email" autoComplete="email" required state={state} />
        <NewPasswordFields state={state} confirm={false} />
        <SubmitButton className="w-full" pendingText="Sending…">
          Create organisation
        </SubmitButton>
      </form>
    </>
  );
}
