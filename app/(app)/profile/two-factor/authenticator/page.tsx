import { redirect } from "next/navigation";

/** Moved to Security › Two-factor. */
export default function OldAddAuthenticatorPage() {
  redirect("/security/two-factor/authenticator");
}
