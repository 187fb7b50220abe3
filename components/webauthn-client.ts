"use client";
/** What the browser's own WebAuthn dialog answered, in the person's terms (no library or DOM wording). */
export function webauthnBrowserError(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  const code = (error as { code?: string } | null)?.code;
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") {
    return "This security key or passkey is already registered.";
  }
  if (name === "NotAllowedError" || name === "AbortError") return "The security key request was cancelled or timed out. Try again.";
  if (name === "NotSupportedError" || name === "SecurityError" || typeof window === "undefined" || !window.PublicKeyCredential) {
    return "This browser cannot use security keys or passkeys here. Try another method.";
  }
  return "The security key did not answer. Try again.";
}
