"use client";
/** "Resend" and "Revoke" for one pending invitation on the members page. Revoke asks to confirm first. */
import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/form";
import { buttonClass } from "@/components/styles";
import type { ActionState } from "@/lib/action";
import { resendInvitationAction, revokeInvitationAction } from "./actions";
import { AdminFormMessage } from "../_components/controls";

export function InvitationActions({ userId, email }: { userId: string; email: string }) {
  const [resent, resend] = useActionState<ActionState, FormData>(resendInvitationAction, {});
  const [revoked, revoke] = useActionState<ActionState, FormData>(revokeInvitationAction, {});
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="space-y-2">
      <AdminFormMessage state={revoked.ok === false ? revoked : resent} />
      <div className="flex flex-wrap items-center gap-2">
        <form action={resend} aria-label={`Resend the invitation to ${email}`}>
          <input type="hidden" name="userId" value={userId} />
          <SubmitButton tone="secondary" pendingText="Sending…">
            Resend
          </SubmitButton>
        </form>
        {confirming ? (
          <form action={revoke} className="flex flex-wrap items-center gap-2" aria-label={`Revoke the invitation to ${email}`}>
            <input type="hidden" name="userId" value={userId} />
            <span className="text-sm">Revoke the invitation to {email}? Its links stop working.</span>
            <SubmitButton tone="danger" pendingText="Revoking…">
              Revoke invitation
            </SubmitButton>
            <button type="button" className={buttonClass("secondary")} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </form>
        ) : (
          <button type="button" className={buttonClass("secondary")} onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
      </div>
    </div>
  );
}
