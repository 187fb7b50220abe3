"use client";
import { TotpEnrolment } from "@/components/totp-enrolment";
import type { ReturnTo } from "../../_components/return-to";
import { EnrolmentFrame } from "../enrolment-page";
import { confirmTotpAction } from "./actions";

export function SecurityTotpEnrolment({
  orgName,
  back,
  ...enrolment
}: {
  factorId: string;
  uri: string;
  formattedSecret: string;
  orgName: string;
  back: ReturnTo | null;
}) {
  return (
    <EnrolmentFrame orgName={orgName} back={back}>
      {(onConfirmed) => (
        <TotpEnrolment {...enrolment} confirmAction={confirmTotpAction} onConfirmed={(r) => onConfirmed({ kind: "totp", ...r })} />
      )}
    </EnrolmentFrame>
  );
}
