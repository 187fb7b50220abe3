/**
 * The shared field schemas: a field of the same kind is checked the same way, with the same message,
 * on every form. Each use case module builds its input schema from these (`z.object({ ... })`).
 *
 * Where parsing happens: the action wrapper (lib/action.ts) parses every input with the use case's
 * schema; use cases take the parsed, typed input (`z.output<typeof schema>`) and trust it. Scripts and
 * tests call use cases with typed values too.
 */
import { z } from "zod";
import { isCommonPassword } from "@/lib/auth/common-passwords";

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
export const hasNoControlCharacters = (s: string) => !CONTROL_CHARACTERS.test(s);

/** An email address: trimmed, lower-cased (one account per address), at most 254 characters. */
export const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }))
  .transform((e) => e.toLowerCase());

/** A person's or an organisation's name. */
export const name = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine(hasNoControlCharacters, "Remove control characters.");

export const COMMON_PASSWORD_MESSAGE = "This password is too common: it is one of the first that attackers try. Choose another.";
export const PASSWORD_IS_EMAIL_MESSAGE = "Do not use your email address as your password.";

/**
 * A password being chosen: 8 to 128 characters, not one of the 1,000 most common passwords (the list
 * shipped in lib/auth/common-passwords.txt, compared lower-cased), no composition rules, nothing trimmed
 * or truncated. It must not be the account's email address either: that needs the email, so it is
 * checked by `passwordNotEmail` (an object schema's superRefine) or `passwordEmailProblem` (a use case
 * that knows the email from the database). Sign-up, invitation, reset and password change all use these.
 */
export const newPassword = z
  .string({ error: "Enter a password." })
  .min(8, "Use at least 8 characters.")
  .max(128, "Use at most 128 characters.")
  .refine((p) => p.length < 8 || p.length > 128 || !isCommonPassword(p), COMMON_PASSWORD_MESSAGE);

/**
 * The message when `password` is the email address (or its part before the @), ignoring case and the
 * spaces around it; null when it is not.
 */
export function passwordEmailProblem(password: string, email: string): string | null {
  const p = password.trim().toLowerCase();
  const e = email.trim().toLowerCase();
  const local = e.split("@")[0] ?? "";
  return p === e || (local.length > 0 && p === local) ? PASSWORD_IS_EMAIL_MESSAGE : null;
}

/**
 * For an object schema that has both fields (sign-up):
 * `z.object({ email, password: newPassword }).superRefine(passwordNotEmail())`.
 */
export function passwordNotEmail<K extends string = "password", E extends string = "email">(
  passwordKey = "password" as K,
  emailKey = "email" as E,
) {
  return (value: Record<K | E, unknown>, ctx: z.RefinementCtx) => {
    const password = value[passwordKey];
    const email = value[emailKey];
    if (typeof password !== "string" || typeof email !== "string") return;
    const problem = passwordEmailProblem(password, email);
    if (problem) ctx.addIssue({ code: "custom", path: [passwordKey], message: problem });
  };
}

/**
 * The user's current password, re-typed to confirm a change (or at login). Any length is checked against
 * the hash up to the 128 maximum: no hints about the password rules here.
 */
export const currentPassword = (tooLong = "Incorrect password.") =>
  z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(128, tooLong);

/** A six-digit one-time code; spaces and dashes people type are ignored. `from`: "from your app", "from the email". */
export const sixDigitCode = (from: string) =>
  z
    .string({ error: "Enter the 6-digit code." })
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, `Enter the 6-digit code ${from}.`));

/** Why an admin makes a sensitive change (kept in the audit log): 3 to 500 characters, line breaks allowed. */
export const reason = z
  .string({ error: "Give a reason." })
  .trim()
  .min(3, "Give a reason (at least 3 characters).")
  .max(500, "Use at most 500 characters.")
  .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), "Remove control characters.");

/** The name a user gives a second factor ("Phone", "Work email"). */
export const factorName = z
  .string()
  .trim()
  .min(1, "Give it a name, like “Phone”.")
  .max(60, "Use at most 60 characters.")
  .refine(hasNoControlCharacters, "Remove control characters.");

/** The id of a row the form refers to; `message` says what to do when it is missing or garbled. */
export const id = (message: string) => z.uuid({ error: message });

/** A checkbox: true from a boolean or the form value "on"/"true"; absent means false. */
export const checkbox = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

export type FieldErrors = Record<string, string[] | undefined>;

/** What the action wrapper does before a use case runs: the typed input, or a message per field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { data: z.output<S>; fieldErrors?: undefined } | { data?: undefined; fieldErrors: FieldErrors } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { data: parsed.data };
  return { fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors };
}
