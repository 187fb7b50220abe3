"use client";
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/components/form";
import type { ActionState } from "@/lib/action";
import { webauthnBrowserError } from "./webauthn-client";

type Action<T> = (prev: ActionState<T> | undefined, input: FormData) => Promise<ActionState<T>>;
export type PasskeyAdded = { recoveryCodes: string[] | null };

/**
 * "Add a security key or passkey": the person names the key, then the browser's own dialog asks for it
 * (options from `startAction`, a fresh single-use challenge); its answer goes to `finishAction`.
 */
export function PasskeyEnrolment({
  startAction,
  finishAction,
  onConfirmed,
}: {
  startAction: Action<{ options: PublicKeyCredentialCreationOptionsJSON }>;
  finishAction: Action<PasskeyAdded>;
  onConfirmed: (result: PasskeyAdded) => void;
}) {
  const [state, action] = useActionState<ActionState<PasskeyAdded>, FormData>(async (prev, formData) => {
    const values = { name: String(formData.get("name") ?? "") };
    const started = await startAction(undefined, new FormData());
    if (!started.ok || !started.data) return { ...started, data: undefined, values };
    let answer: unknown;
    try {
      answer = await startRegistration({ optionsJSON: started.data.options });
    } catch (error) {
      return { ok: false, error: webauthnBrowserError(error), values };
    }
    formData.set("response", JSON.stringify(answer));
    const result = await finishAction(prev, formData);
    if (result.ok && result.data) onConfirmed(result.data);
    return result;
  }, {});
  return (
    <form action={action} className="max-w-md space-y-4" noValidate aria-label="Add a security key or passkey">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        A security key (such as a YubiKey) or a passkey on this device (Touch ID, Windows Hello, your phone). It cannot be phished: it only
        answers this site. Name it, then follow your browser&apos;s dialog.
      </p>
      <FormMessage state={state} />
      <Field label="Name this key" name="name" placeholder="YubiKey 5, MacBook Touch ID" maxLength={60} required state={state} />
      <SubmitButton pendingText="Waiting for your key…">Add security key</SubmitButton>
    </form>
  );
}
