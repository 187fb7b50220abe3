/**
 * A virtual security key in Chromium, for testers: the browser's own WebAuthn dialog is answered by a
 * software authenticator (Chrome DevTools Protocol, `WebAuthn.addVirtualAuthenticator`), so a test can
 * add a key and sign in with it without hardware. One per page (tab); it survives navigation and
 * signing out in that page.
 *
 *   const key = await addVirtualAuthenticator(page);   // before the page asks for a key
 *   …                                                  // "Add security key", "Use security key"
 *   expect(await key.credentials()).toHaveLength(1);
 *   await key.remove();
 */
import type { CDPSession, Page } from "@playwright/test";

export type VirtualAuthenticatorOptions = {
  /** ctap2 (FIDO2, default) or u2f (an old security key). */
  protocol?: "ctap2" | "u2f";
  /** internal (a passkey on this device, default), usb, nfc, ble. */
  transport?: "internal" | "usb" | "nfc" | "ble";
  hasResidentKey?: boolean;
  hasUserVerification?: boolean;
  isUserVerified?: boolean;
};

export type VirtualAuthenticator = {
  cdp: CDPSession;
  authenticatorId: string;
  /** The credentials the key holds (one per site it was registered with). */
  credentials: () => Promise<{ credentialId: string; rpId?: string; signCount: number }[]>;
  /** Removes the key and closes its DevTools session. */
  remove: () => Promise<void>;
};

export async function addVirtualAuthenticator(page: Page, options: VirtualAuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...options,
    },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    remove: async () => {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
      await cdp.send("WebAuthn.disable");
      await cdp.detach();
    },
  };
}
