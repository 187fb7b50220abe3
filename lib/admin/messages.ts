/** Messages the admin screens recognise (client-safe: no server imports). */
export const NEEDS_OWN_2FA_MESSAGE =
  "Set up two-factor authentication on your own account first: your organisation requires it for changes to 2FA settings.";
export const NEEDS_OWN_2FA_TO_REQUIRE_MESSAGE =
  "Set up two-factor authentication on your own account before requiring it for everyone, so you cannot lock yourself out.";
