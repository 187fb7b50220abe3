"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { signOutOtherSessionsAction } from "./actions";

export function SignOutOthersForm({ otherCount }: { otherCount: number }) {
  const [state, action] = useActionState<ActionState, FormData>(signOutOtherSessionsAction, {});
  return (
    <form action={action} className="mt-4 space-y-3" aria-label="Sign out of other sessions">
      <FormMessage state={state} />
      <SubmitButton tone="secondary" pendingText="Signing out…" disabled={otherCount === 0}>
        Sign out of all other sessions
      </SubmitButton>
      {otherCount === 0 && !state.ok && <p className="text-sm text-slate-600 dark:text-slate-400">You are not signed in anywhere else.</p>}
    </form>
  );
}
