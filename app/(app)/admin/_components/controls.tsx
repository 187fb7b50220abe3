"use client";
/** Form controls the admin screens need beyond components/form.tsx: checkbox, select, messages with a profile link. */
import Link from "next/link";
import { useId, useRef } from "react";
import { FormMessage, inputClass, useFocusOnError } from "@/components/form";
import type { ActionState } from "@/lib/action";

export function Checkbox({
  label,
  name,
  state,
  hint,
  ...input
}: React.InputHTMLAttributes<HTMLInputElement> & {
  label: React.ReactNode;
  name: string;
  state?: ActionState<unknown>;
  hint?: React.ReactNode;
}) {
  const id = `${name}-${useId()}`;
  const errors = state?.fieldErrors?.[name];
  const ref = useRef<HTMLInputElement>(null);
  useFocusOnError(ref, state, !!errors?.length);
  return (
    <div className="space-y-1">
      <div className="flex items-start gap-3">
        <input
          ref={ref}
          id={id}
          name={name}
          type="checkbox"
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 text-blue-700 focus:ring-2 focus:ring-blue-600/30 dark:border-slate-600"
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={[hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined}
          {...input}
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium">
            {label}
          </label>
          {hint && (
            <div id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              {hint}
            </div>
          )}
        </div>
      </div>
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

export function Select({
  label,
  name,
  state,
  options,
  hint,
  ...select
}: React.SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  state?: ActionState<unknown>;
  options: { value: string; label: string }[];
  hint?: React.ReactNode;
}) {
  const id = `${name}-${useId()}`;
  const errors = state?.fieldErrors?.[name];
  const ref = useRef<HTMLSelectElement>(null);
  useFocusOnError(ref, state, !!errors?.length);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select
        ref={ref}
        id={id}
        name={name}
        className={inputClass}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {errors[0]}
        </p>
      ) : null}
    </div>
  );
}

/** FormMessage, plus a link to Security › Two-factor when the refusal is "set up your own 2FA first". */
export function AdminFormMessage({ state }: { state?: ActionState<unknown> }) {
  const needs2fa = state?.ok === false && state.code === "own_2fa_required";
  return (
    <div className="space-y-2">
      <FormMessage state={state} />
      {needs2fa && (
        <p className="text-sm">
          <Link
            href="/security/two-factor"
            className="font-medium text-blue-700 underline underline-offset-2 dark:text-blue-400"
            data-testid="setup-2fa-link"
          >
            Set up your own two-factor authentication
          </Link>
        </p>
      )}
    </div>
  );
}
