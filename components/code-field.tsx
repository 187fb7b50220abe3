"use client";
import { Field } from "@/components/form";
import type { ActionState } from "@/lib/action";

/** A 6-digit code input: numeric keyboard, one-time-code autofill, paste of the whole code works. */
export function CodeField({
  state,
  label = "6-digit code",
  name = "code",
  autoFocus,
}: {
  state?: ActionState<unknown>;
  label?: string;
  name?: string;
  autoFocus?: boolean;
}) {
  return (
    <Field
      label={label}
      name={name}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={9}
      placeholder="123456"
      required
      autoFocus={autoFocus}
      state={state}
      className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-lg tracking-[0.3em] shadow-sm outline-none focus:border-blue-600 focus:ring-2 focus:ring-blue-600/30 aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950"
    />
  );
}
