"use client";
import { useActionState } from "react";
import { postLoginStep } from "@/components/complete-login";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";

/** Where a temporary code lands: the profile's two-factor section, with a notice to set up a new authenticator. */
export function tempCodeLanding(factorsRemoved: boolean) {
  return `/security/two-factor?notice=${factorsRemoved ? "temp-code-removed" : "temp-code"}`;
}

/** "Use a temporary access code from your admin": typed with any case, spaces or dashes. */
export function TempCodeForm() {
  const [state, action] = useActionState<ActionState<{ factorsRemoved: boolean }>, FormData>(async (_prev, formData) => {
    formData.set("method", "temp_code");
    const result = await postLoginStep<{ factorsRemoved: boolean }>("/api/login/verify", formData);
    // Signed in by this answer: land where a new authenticator is set up.
    if (result.ok) window.location.assign(tempCodeLanding(result.data?.factorsRemoved === true));
    return result;
  }, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Sign in with a temporary access code">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Lost your phone or your codes? Your administrator can give you a temporary access code (for example over the phone). It works once,
        in place of the second step; afterwards you set up a new authenticator.
      </p>
      <FormMessage state={state} />
      <Field
        label="Temporary access code"
        name="code"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="XXXX-XXXX-XXXX"
        maxLength={64}
        required
        state={state}
        autoFocus
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-lg tracking-widest uppercase shadow-sm outline-none focus:border-blue-600 focus:ring-2 focus:ring-blue-600/30 aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950"
      />
      <SubmitButton className="w-full" pendingText="Verifying…">
        Verify temporary code
      </SubmitButton>
    </form>
  );
}
