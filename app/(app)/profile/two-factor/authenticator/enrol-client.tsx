"use client";
import { useRouter } from "next/navigation";
import { TotpEnrolment } from "@/components/totp-enrolment";
import { confirmTotpAction } from "./actions";

export function ProfileTotpEnrolment(props: { factorId: string; uri: string; formattedSecret: string; orgName: string }) {
  const router = useRouter();
  return (
    <TotpEnrolment
      {...props}
      confirmAction={confirmTotpAction}
      finishLabel="Back to profile"
      onFinished={() => {
        router.push("/profile#two-factor");
        router.refresh();
      }}
    />
  );
}
