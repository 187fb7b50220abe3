"use client";
/** The fields for choosing a password, with the one rule said the same way everywhere (lib/validation.ts newPassword). */
import { Field } from "@/components/form";
import type { ActionState } from "@/lib/action";

export const NEW_PASSWORD_HINT = "8 to 128 characters, not your email address and not a common password. A long passphrase is best.";

/** The password (`name`, default "password") and, unless `confirm` is false, "Confirm …" (confirmPassword). */
export function NewPasswordFields({
  state,
  label = "Password",
  name = "password",
  confirm = true,
  autoFocus,
}: {
  state: ActionState<unknown>;
  label?: string;
  name?: string;
  confirm?: boolean;
  autoFocus?: boolean;
}) {
  return (
    <>
      <Field
        label={label}
        name={name}
        type="password"
        autoComplete="new-password"
        required
        state={state}
        hint={NEW_PASSWORD_HINT}
        autoFocus={autoFocus}
      />
      {confirm && (
        <Field
          label={`Confirm ${label.toLowerCase()}`}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          state={state}
        />
      )}
    </>
  );
}
