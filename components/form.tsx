"use client";
/** Form controls wired to the action wrapper's typed results (lib/action.ts). */
import { useId } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/action";
import { buttonClass, inputClass, type ButtonTone } from "./styles";

export { buttonClass, inputClass };



type FieldProps = React.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  state?: ActionState<unknown>;
  hint?: React.ReactNode;
};

export function Field({ label, name, state, hint, id, defaultValue, ...input }: FieldProps) {
  const autoId = useId();
  const inputId = id ?? `${name}-${autoId}`;
  const errors = state?.fieldErrors?.[name];
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const kept = state?.values?.[name];
  return (
    <div className="space-y-1">
      <label htmlFor={inputId} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        className={inputClass}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={[errors?.length ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined}
        defaultValue={kept ?? defaultValue}
        {...input}
      />
      {hint && (
        <p id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

export function SubmitButton({
  children,
  pendingText,
  tone = "primary",
  className = "",
  ...rest
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { pendingText?: string; tone?: ButtonTone }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending || rest.disabled} className={`${buttonClass(tone)} ${className}`} {...rest}>
      {pending ? (pendingText ?? "Working…") : children}
    </button>
  );
}

/** The form-level message: an error (role=alert) or a success note (role=status). */
export function FormMessage({ state }: { state?: ActionState<unknown> }) {
  if (!state) return null;
  if (state.error && !state.ok) {
    return (
      <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        {state.error}
      </p>
    );
  }
  if (state.ok && state.message) {
    return (
      <p role="status" data-testid="form-success" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
        {state.message}
      </p>
    );
  }
  return null;
}
