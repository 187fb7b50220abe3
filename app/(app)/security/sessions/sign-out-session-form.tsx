"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { signOutSessionAction } from "./actions";

/** "Sign out" beside one other session of the list (a browser, or an app signed in through the API). */
export function SignOutSessionForm({ sessionId, label }: { sessionId: string; label: string }) {
  const [state, action] = useActionState<ActionState, FormData>(signOutSessionAction, {});
  return (
    <form action={action} aria-label={`Sign out ${label}`} className="space-y-2">
      <FormMessage state={state} />
      <input type="hidden" name="sessionId" value={sessionId} />
      <SubmitButton tone="secondary" pendingText="Signing out…">
        Sign out
      </SubmitButton>
    </form>
  );
}
