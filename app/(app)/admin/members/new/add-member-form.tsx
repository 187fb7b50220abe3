"use client";
import { useActionState } from "react";
import { Field, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { AdminFormMessage, Checkbox, Select } from "../../_components/controls";
import { addMemberAction } from "../actions";

export function AddMemberForm() {
  const [state, action] = useActionState<ActionState, FormData>(addMemberAction, {});
  const kept = state.values;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Add user">
      <AdminFormMessage state={state} />
      <Field label="Name" name="name" autoComplete="off" required state={state} />
      <Field label="Email" name="email" type="email" autoComplete="off" required state={state} />
      <Select
        label="Role"
        name="role"
        defaultValue={kept?.role ?? "agent"}
        key={`role-${kept?.role ?? "agent"}`}
        state={state}
        options={[
          { value: "agent", label: "Agent" },
          { value: "admin", label: "Admin: manages members and the 2FA policy" },
        ]}
      />
      <Checkbox
        name="requireMfa"
        label="Require 2FA"
        hint="They must set up two-factor authentication when they first sign in."
        defaultChecked={kept ? kept.requireMfa === "on" : true}
        key={`mfa-${kept ? (kept.requireMfa ?? "off") : "default"}`}
        state={state}
      />
      <SubmitButton pendingText="Adding…">Add user and send invitation</SubmitButton>
    </form>
  );
}
