import type { Metadata } from "next";
import { Card, TextLink } from "@/components/ui";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an organisation" };

export default function SignupPage() {
  return (
    <Card>
      <h1 className="mb-1 text-xl font-semibold">Create your organisation</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">You will be its first administrator.</p>
      <SignupForm />
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Already have an account? <TextLink href="/login">Sign in</TextLink>
      </p>
    </Card>
  );
}
