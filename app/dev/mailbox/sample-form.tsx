"use client";
import { useActionState, useId } from "react";
import { Field, FormMessage, SubmitButton, inputClass } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { sampleKinds, sampleLabels } from "@/lib/mail/sample-kinds";
import { sendSampleAction } from "./actions";

export function SampleForm({ defaultTo }: { defaultTo?: string }) {
  const [state, action] = useActionState<ActionState, FormData>(sendSampleAction, {});
  const selectId = useId();
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Send a sample">
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Recipient" name="to" type="email" defaultValue={defaultTo ?? "tester@example.test"} required state={state} />
        <div className="space-y-1">
          <label htmlFor={selectId} className="block text-sm font-medium">
            Template
          </label>
          <select id={selectId} name="kind" className={inputClass} defaultValue={state.values?.kind ?? "login-code"}>
            {sampleKinds.map((k) => (
              <option key={k} value={k}>
                {sampleLabels[k]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <SubmitButton tone="secondary" pendingText="Sending…">
        Send sample
      </SubmitButton>
    </form>
  );
}
