"use client";
import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { postLoginStep } from "@/components/complete-login";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import type { NextStep } from "@/lib/auth/login";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [state, action] = useActionState<ActionState<{ next: NextStep }>, FormData>(async (_prev, formData) => {
    const result = await postLoginStep<{ next: NextStep }>("/api/login/password", formData);
    const next = result.ok ? result.data?.next : undefined;
    const query = `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    if (next === "mfa") router.push(`/login/verify${query}`);
    else if (next === "enrol") router.push(`/login/setup${query}`);
    // Nothing else needed: the answer already carries the session.
    else if (next === "done") window.location.assign(callbackUrl);
    return result;
  }, {});

  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      {/* The first thing to type: focused on load (the page has nothing before it to read first). */}
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus state={state} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required state={state} />
      <SubmitButton className="w-full" pendingText="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
