"use client";
import { useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import { completeLogin } from "@/components/complete-login";
import type { ActionState } from "@/lib/action";
import type { NextStep } from "@/lib/auth/login";
import { submitPassword } from "./actions";

export function LoginForm({ callbackUrl, initialEmail }: { callbackUrl: string; initialEmail?: string }) {
  const [state, action] = useActionState<ActionState<{ next: NextStep }>, FormData>(submitPassword, {});
  const [finishing, setFinishing] = useState(false);
  const [finishError, setFinishError] = useState<string>();
  const router = useRouter();

  useEffect(() => {
    const next = state.ok ? state.data?.next : undefined;
    if (!next) return;
    const query = `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    if (next === "mfa") router.push(`/login/verify${query}`);
    else if (next === "enrol") router.push(`/login/setup${query}`);
    else {
      setFinishing(true);
      completeLogin(callbackUrl).then((ok) => {
        if (!ok) {
          setFinishing(false);
          setFinishError("Your sign-in could not be completed. Please try again.");
        }
      });
    }
  }, [state, callbackUrl, router]);

  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={finishError ? { ok: false, error: finishError } : state} />
      <Field label="Email" name="email" type="email" autoComplete="username" required state={state} defaultValue={initialEmail} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required state={state} />
      <SubmitButton className="w-full" pendingText="Signing in…" disabled={finishing}>
        {finishing ? "Signing in…" : "Sign in"}
      </SubmitButton>
    </form>
  );
}
