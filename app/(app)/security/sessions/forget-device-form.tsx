"use client";
import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { forgetDeviceAction } from "./actions";

export function ForgetDeviceForm({ deviceId, label }: { deviceId: string; label: string }) {
  const [state, action] = useActionState<ActionState, FormData>(forgetDeviceAction, {});
  return (
    <form action={action} aria-label={`Forget ${label}`} className="space-y-2">
      <FormMessage state={state} />
      <input type="hidden" name="deviceId" value={deviceId} />
      <SubmitButton tone="secondary" pendingText="Forgetting…">
        Forget
      </SubmitButton>
    </form>
  );
}
