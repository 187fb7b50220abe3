"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { sendPasswordResetAction } from "./password-reset-actions";
import { AdminFormMessage } from "../../_components/controls";

export function SendPasswordResetForm({ userId }: { userId: string }) {
  const [state, action] = useActionState<ActionState, FormData>(sendPasswordResetAction, {});
  return (
    <form action={action} className="space-y-3" aria-label="Send password reset">
      <AdminFormMessage state={state} />
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton tone="secondary" pendingText="Sending…">
        Send password reset
      </SubmitButton>
    </form>
  );
}
