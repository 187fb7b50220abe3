"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { buttonClass } from "@/components/styles";
import type { ActionState } from "@/lib/action";
import { confirmSignupAction } from "./actions";

type Request = { organizationName: string; name: string; email: string };

/** What the link will create and the button that creates it; afterwards "ready — sign in". */
export function ConfirmSignup({ token, request }: { token: string; request: Request }) {
  const [state, action] = useActionState<ActionState<{ email: string }>, FormData>(confirmSignupAction, {});
  if (state.ok && state.data) {
    return (
      <div data-testid="signup-ready" role="status">
        <h1 className="mb-2 text-xl font-semibold">Your organisation is ready — sign in</h1>
        <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
          {request.organizationName} was created. Sign in as <span className="font-medium">{state.data.email}</span> with the password you
          chose.
        </p>
        <Link href="/login" className={`${buttonClass("primary")} w-full`}>
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create {request.organizationName}</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        Your email address is confirmed. Enter the password you chose when signing up to create your organisation.
      </p>
      <dl className="mb-6 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Organisation</dt>
        <dd data-testid="signup-org">{request.organizationName}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Admin</dt>
        <dd>{request.name}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Email</dt>
        <dd data-testid="signup-email">{request.email}</dd>
      </dl>
      <form action={action} className="space-y-4" aria-label="Confirm sign-up">
        <FormMessage state={state} />
        <input type="hidden" name="token" value={token} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          state={state}
          hint="The one you chose on the sign-up form. If you did not sign up, ignore this page."
        />
        <SubmitButton className="w-full" pendingText="Creating…">
          Confirm and create organisation
        </SubmitButton>
      </form>
    </>
  );
}
