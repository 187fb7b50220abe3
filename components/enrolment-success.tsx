"use client";
import { useEffect, useRef } from "react";
import { buttonClass } from "@/components/styles";
import type { FactorType } from "@/lib/db/schema";
import { Modal } from "./dialog";
import { RecoveryCodes } from "./recovery-codes";

const TITLES: Record<FactorType, string> = {
  totp: "Authenticator app added",
  email: "Email codes turned on",
  webauthn: "Security key added",
};
const NOTES: Record<FactorType, (address?: string) => string> = {
  totp: () => "From now on, signing in asks for a code from this app.",
  email: (address) => `From now on, signing in can ask for a code sent to ${address ?? "your email"}.`,
  webauthn: () => "From now on, signing in can ask you to use this security key or passkey.",
};

function SuccessNote({ kind, address }: { kind: FactorType; address?: string }) {
  return (
    <div
      data-testid={`${kind}-success`}
      className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
    >
      <p className="font-semibold">{TITLES[kind]}</p>
      <p className="text-sm">{NOTES[kind](address)}</p>
    </div>
  );
}

export type EnrolmentDone = { kind: FactorType; recoveryCodes: string[] | null };

type SuccessProps = EnrolmentDone & {
  orgName: string;
  address?: string;
  finishLabel: string;
  onFinished: () => void;
};

/** The body of the success moment: what is on now, then the recovery codes (first method only), then the way on. */
function SuccessBody({
  kind,
  recoveryCodes,
  orgName,
  address,
  finishLabel,
  onFinished,
  finishRef,
}: SuccessProps & { finishRef: React.Ref<HTMLButtonElement> }) {
  return (
    <div className="space-y-6">
      <SuccessNote kind={kind} address={address} />
      {recoveryCodes ? (
        <RecoveryCodes
          codes={recoveryCodes}
          orgName={orgName}
          factors={[kind]}
          onDone={onFinished}
          doneLabel={finishLabel}
          doneRef={finishRef}
          headingLevel={3}
        />
      ) : (
        <button ref={finishRef} type="button" className={buttonClass()} onClick={onFinished}>
          {finishLabel}
        </button>
      )}
    </div>
  );
}

/**
 * Security › Two-factor: the success dialog. The focus moves into it (onto its title when there are
 * recovery codes to read and confirm, else straight onto the button that leads on, "Done").
 */
export function EnrolmentSuccessDialog(props: SuccessProps) {
  const finishRef = useRef<HTMLButtonElement>(null);
  return (
    // Escape leads on like the button once there is nothing to save; with codes to save it does nothing.
    <Modal
      title="Two-factor authentication is on"
      initialFocus={props.recoveryCodes ? undefined : finishRef}
      onCancel={props.recoveryCodes ? undefined : props.onFinished}
      size="lg"
      testId="enrolment-success"
    >
      <SuccessBody {...props} finishRef={finishRef} />
    </Modal>
  );
}

/** Sign-in setup: the whole card becomes the success state; the focus moves to its heading. */
export function EnrolmentSuccessCard({ error, ...props }: SuccessProps & { error?: React.ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const finishRef = useRef<HTMLButtonElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="space-y-6" data-testid="enrolment-success">
      <h1 ref={headingRef} tabIndex={-1} className="text-xl font-semibold outline-none">
        Two-factor authentication is on
      </h1>
      {error}
      <SuccessBody {...props} finishRef={finishRef} />
    </div>
  );
}
