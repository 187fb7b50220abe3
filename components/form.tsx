"use client";
/** Form controls wired to the action wrapper's typed results (lib/action.ts). */
import { useEffect, useId, useLayoutEffect, useRef } from "react";
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

/**
 * After an answer with field errors: the first invalid control of the form gets the focus (its text
 * selected, so typing replaces it), whether the form was sent with the mouse or the keyboard. If it
 * already had the focus it is focused again, so a screen reader reads the new message.
 */
export function useFocusOnError(
  ref: React.RefObject<HTMLInputElement | HTMLSelectElement | null>,
  state: ActionState<unknown> | undefined,
  invalid: boolean,
) {
  // Keyed by the answer's own field errors (a new object per answer), not by `state`, which callers may rebuild on every render.
  const answer = state?.fieldErrors;
  useEffect(() => {
    const control = ref.current;
    if (!control || !invalid) return;
    if (control.form?.querySelector('[aria-invalid="true"]') !== control) return;
    if (document.activeElement === control) control.blur();
    control.focus();
    if (control instanceof HTMLInputElement && !["checkbox", "radio", "date", "hidden"].includes(control.type)) control.select();
  }, [ref, answer, invalid]);
}

export function Field({ label, name, state, hint, id, defaultValue, ...input }: FieldProps) {
  const autoId = useId();
  const ref = useRef<HTMLInputElement>(null);
  const inputId = id ?? `${name}-${autoId}`;
  const errors = state?.fieldErrors?.[name];
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const kept = state?.values?.[name];
  useFocusOnError(ref, state, !!errors?.length);
  return (
    <div className="space-y-1">
      <label htmlFor={inputId} className="block text-sm font-medium">
        {label}
      </label>
      <input
        ref={ref}
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
        <p id={errorId} data-testid="field-error" className="text-sm text-red-700 dark:text-red-400">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A failed answer, with what was typed in `names` put back into the form. The server never echoes
 * codes (lib/action.ts), so the browser keeps its own copy: a wrong code stays in its field, selected,
 * instead of vanishing when React resets the form.
 */
export function keepTyped<T>(result: ActionState<T>, formData: FormData, ...names: string[]): ActionState<T> {
  if (result.ok) return result;
  const typed = Object.fromEntries(names.map((n) => [n, String(formData.get(n) ?? "")]));
  return { ...result, values: { ...result.values, ...typed } };
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

const errorClass = "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200";

/**
 * The form-level message: an error (role=alert) or a success note (role=status). Field errors are shown
 * under their fields only (and the first one gets the focus: useFocusOnError), never as a generic
 * "correct the fields" line; one for a field the form does not show (a hidden input) is shown here.
 */
export function FormMessage({ state }: { state?: ActionState<unknown> }) {
  const orphanRef = useRef<HTMLParagraphElement>(null);
  const fieldErrors = Object.entries(state?.fieldErrors ?? {}).filter((e): e is [string, string[]] => !!e[1]?.length);
  useLayoutEffect(() => {
    const element = orphanRef.current;
    if (!element) return;
    const form = element.closest("form");
    const orphan = fieldErrors.find(([name]) => !form?.querySelector(`[name="${CSS.escape(name)}"][aria-invalid="true"]`));
    element.textContent = orphan ? orphan[1][0]! : "";
    element.hidden = !orphan;
  });
  if (!state) return null;
  if (state.error && !state.ok && fieldErrors.length > 0) {
    return <p ref={orphanRef} role="alert" data-testid="form-error" hidden className={errorClass} />;
  }
  if (state.error && !state.ok) {
    return (
      <p role="alert" data-testid="form-error" className={errorClass}>
        {state.error}
      </p>
    );
  }
  if (state.ok && state.message) {
    return (
      <p
        role="status"
        data-testid="form-success"
        className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
      >
        {state.message}
      </p>
    );
  }
  return null;
}
