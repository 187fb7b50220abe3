"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { EnrolmentSuccessDialog, type EnrolmentDone } from "@/components/enrolment-success";
import { Card, TextLink } from "@/components/ui";

/**
 * The frame of an "add a method" page: the set-up in a card, "Cancel" under it, and once the method is
 * on, the success dialog; "Done" (or "Back to the 2FA policy") then leads on. After success the page
 * behind no longer offers Cancel: it says the method is on.
 */
export function EnrolmentFrame({
  address,
  orgName,
  back,
  children,
}: {
  address?: string;
  orgName: string;
  back: { href: string; label: string } | null;
  children: (onConfirmed: (done: EnrolmentDone) => void) => React.ReactNode;
}) {
  const router = useRouter();
  const [done, setDone] = useState<EnrolmentDone | null>(null);
  const next = back?.href ?? "/security/two-factor";
  return (
    <>
      <Card>
        {done ? (
          <p className="text-sm" data-testid="enrolment-finished">
            Two-factor authentication is on.
          </p>
        ) : (
          children(setDone)
        )}
      </Card>
      <p className="mt-4 text-sm">
        {done ? (
          <TextLink href={next}>{back?.label ?? "Back to two-factor settings"}</TextLink>
        ) : (
          <TextLink href={back?.href ?? "/security/two-factor"}>Cancel</TextLink>
        )}
      </p>
      {done && (
        <EnrolmentSuccessDialog
          {...done}
          orgName={orgName}
          address={address}
          finishLabel={back?.label ?? "Done"}
          onFinished={() => {
            router.push(next);
            router.refresh();
          }}
        />
      )}
    </>
  );
}
