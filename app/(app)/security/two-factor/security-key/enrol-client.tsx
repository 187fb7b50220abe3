"use client";
import { PasskeyEnrolment } from "@/components/passkey-enrolment";
import type { ReturnTo } from "../../_components/return-to";
import { EnrolmentFrame } from "../enrolment-page";
import { finishPasskeyAction, startPasskeyAction } from "./actions";

export function SecurityPasskeyEnrolment({ orgName, back }: { orgName: string; back: ReturnTo | null }) {
  return (
    <EnrolmentFrame orgName={orgName} back={back}>
      {(onConfirmed) => (
        <PasskeyEnrolment
          startAction={startPasskeyAction}
          finishAction={finishPasskeyAction}
          onConfirmed={(r) => onConfirmed({ kind: "webauthn", ...r })}
        />
      )}
    </EnrolmentFrame>
  );
}
