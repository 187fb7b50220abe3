import type { Metadata } from "next";
import { Card, TextLink } from "@/components/ui";
import { SIGNUP_LINK_HOURS } from "@/lib/orgs/signup";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an organisation" };

export default function SignupPage() {
  return (
    <Card>
      <SignupForm linkHours={SIGNUP_LINK_HOURS} />
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Already have an account? <TextLink href="/login">Sign in</TextLink>
      </p>
    </Card>
  );
}
