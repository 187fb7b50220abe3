"use client";
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useActionState } from "react";
import { signInStep } from "@/components/complete-login";
import { FormMessage, SubmitButton } from "@/components/form";
import { webauthnBrowserError } from "@/components/webauthn-client";
import type { ActionState } from "@/lib/action";
import { passkeyOptionsAction } from "./actions";

/**
 * "Use your security key or passkey": options for this login (a fresh challenge), the browser's dialog,
 * then its answer to the server, which counts it in the same budget as every method.
 */
export function PasskeyForm({ callbackUrl, remember }: { callbackUrl: string; remember: React.ReactNode }) {
  const [state, action] = useActionState<ActionState, FormData>(async (_prev, formData) => {
    const started = await passkeyOptionsAction(undefined, new FormData());
    if (!started.ok || !started.data) return { ...started, data: undefined };
    let answer: unknown;
    try {
      answer = await startAuthentication({ optionsJSON: started.data.options as PublicKeyCredentialRequestOptionsJSON });
    } catch (error) {
      return { ok: false, error: webauthnBrowserError(error) };
    }
    formData.set("method", "webauthn");
    formData.set("response", JSON.stringify(answer));
    // Checked by the login route, whose answer carries the session.
    return signInStep("/api/login/verify", formData, callbackUrl);
  }, {});
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Sign in with your security key or passkey">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Insert or touch your security key, or use the passkey on this device, when your browser asks.
      </p>
      <FormMessage state={state} />
      {remember}
      <SubmitButton className="w-full" pendingText="Waiting for your key…">
        Use security key
      </SubmitButton>
    </form>
  );
}
