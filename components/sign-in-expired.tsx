import { Card, TextLink } from "@/components/ui";

/** What the login's later steps show when their challenge is gone (expired, used, or never there). */
export function SignInExpired() {
  return (
    <Card>
      <h1 className="mb-2 text-xl font-semibold">Sign-in expired</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your sign-in has expired or was already used. <TextLink href="/login">Sign in again</TextLink>.
      </p>
    </Card>
  );
}
