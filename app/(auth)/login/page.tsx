import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, TextLink } from "@/components/ui";
import { getCurrentUser } from "@/lib/auth/current-user";
import { safeCallbackUrl } from "@/lib/urls";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <Card>
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">Use your work email and password.</p>
      {params.invited === "1" && (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        >
          Your password is set. Sign in to continue.
        </p>
      )}
      {params.reset === "1" && (
        <p
          role="status"
          data-testid="password-reset-done"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        >
          Your password was changed and every session of your account was ended. Sign in with your new password.
        </p>
      )}
      {params.ended === "1" && (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Your session has ended. Please sign in again.
        </p>
      )}
      <LoginForm callbackUrl={callbackUrl} />
      <p className="mt-4 text-center text-sm">
        <TextLink href="/forgot-password">Forgot your password?</TextLink>
      </p>
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        New to the product? <TextLink href="/signup">Create an organisation</TextLink>
      </p>
    </Card>
  );
}
