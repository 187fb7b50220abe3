import type { Metadata } from "next";
import { Card, TextLink } from "@/components/ui";
import { RESET_LINK_MINUTES } from "@/lib/auth/reset-links";
import { ForgotPasswordForm } from "./forgot-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <Card>
      <h1 className="mb-1 text-xl font-semibold">Forgot your password?</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        Enter the email address of your account. We will email you a link to choose a new password; it works once, for {RESET_LINK_MINUTES}{" "}
        minutes. If you use an authenticator app or recovery codes, you will need one of them too.
      </p>
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Remembered it? <TextLink href="/login">Sign in</TextLink>
      </p>
    </Card>
  );
}
