"use client";
import { buttonClass } from "@/components/styles";
import { Notice } from "@/components/ui";
import { draftHref } from "./draft";

/**
 * The way out when the policy cannot be saved until the admin's own 2FA is on: "Set up my 2FA now"
 * opens Security › Two-factor with a way back here, carrying the form as it is now (read when the
 * link is followed, so a field changed a moment ago is not lost).
 */
export function SetUpOwn2fa({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Notice tone="warning" title={title}>
      <div className="space-y-3">
        <p>{children}</p>
        <a
          href="/security/two-factor?return=%2Fadmin%2Fsettings"
          data-testid="setup-own-2fa"
          className={buttonClass("primary")}
          onClick={(event) => {
            const form = event.currentTarget.closest("form");
            if (form) event.currentTarget.href = `/security/two-factor?return=${encodeURIComponent(draftHref(form))}`;
          }}
        >
          Set up my 2FA now
        </a>
      </div>
    </Notice>
  );
}

/** Beside the disabled Save button: why it is disabled. */
export function SaveBlockedReason({ id }: { id: string }) {
  return (
    <p id={id} className="text-sm text-slate-600 dark:text-slate-400" data-testid="save-blocked">
      Saving needs your own two-factor authentication first: use “Set up my 2FA now” above.
    </p>
  );
}
