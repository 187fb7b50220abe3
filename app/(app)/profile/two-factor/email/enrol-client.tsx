"use client";
import { useRouter } from "next/navigation";
import { EmailEnrolment } from "@/components/email-enrolment";
import { confirmEmailEnrolmentAction, sendEmailEnrolmentCodeAction } from "./actions";

export function ProfileEmailEnrolment({ address, orgName, suggestApp }: { address: string; orgName: string; suggestApp: boolean }) {
  const router = useRouter();
  return (
    <EmailEnrolment
      address={address}
      orgName={orgName}
      suggestApp={suggestApp}
      sendAction={sendEmailEnrolmentCodeAction}
      confirmAction={confirmEmailEnrolmentAction}
      finishLabel="Back to profile"
      onFinished={() => {
        router.push("/profile#two-factor");
        router.refresh();
      }}
    />
  );
}
