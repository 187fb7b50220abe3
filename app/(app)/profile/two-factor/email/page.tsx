import { redirect } from "next/navigation";

/** Moved to Security › Two-factor. */
export default function OldEmailEnrolmentPage() {
  redirect("/security/two-factor/email");
}
