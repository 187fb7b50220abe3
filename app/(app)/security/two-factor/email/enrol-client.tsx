"use client";
import { EmailEnrolment } from "@/components/email-enrolment";
import type { ReturnTo } from "../../_components/return-to";
import { EnrolmentFrame } from "../enrolment-page";
import { confirmEmailEnrolmentAction, sendEmailEnrolmentCodeAction } from "./actions";

export function SecurityEmailEnrolment({
  address,
  orgName,
  suggestApp,
  back,
}: {
  address: string;
  orgName: string;
  suggestApp: boolean;
  back: ReturnTo | null;
}) {
  return (
    <EnrolmentFrame orgName={orgName} address={address} back={back}>
      {(onConfirmed) => (
        <EmailEnrolment
          address={address}
          suggestApp={suggestApp}
          sendAction={sendEmailEnrolmentCodeAction}
          confirmAction={confirmEmailEnrolmentAction}
          onConfirmed={(r) => onConfirmed({ kind: "email", ...r })}
        />
      )}
    </EnrolmentFrame>
  );
}
