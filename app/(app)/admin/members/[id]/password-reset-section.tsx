import { Card, SectionTitle } from "@/components/ui";
import { RESET_LINK_MINUTES } from "@/lib/auth/reset-links";
import { SendPasswordResetForm } from "./password-reset-form";

/** The member page's "Password" section: only for an active member who has a password (invited ones get a new invitation). */
export function PasswordResetSection({
  member,
}: {
  member: { id: string; email: string; deactivated: boolean; invitation: string | null };
}) {
  if (member.deactivated || member.invitation) return null;
  return (
    <Card>
      <SectionTitle id="password">Password</SectionTitle>
      <p className="mb-3 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
        Emails {member.email} a link to choose a new password, the same as “Forgot your password?” on the sign-in page. It works once, for{" "}
        {RESET_LINK_MINUTES} minutes. You never see the link or the password. If they use an authenticator app or recovery codes, they must
        enter one first; afterwards all their sessions end and they sign in with the new password and their second factor.
      </p>
      <SendPasswordResetForm userId={member.id} />
    </Card>
  );
}
