/**
 * The trigger side of admin alerts: a use case calls alertAdmins() right after the event it reports is
 * recorded (its audit row's id is the event's reference). One job per recipient is enqueued, keyed by
 * (kind, event, recipient), so the same event never emails an admin twice; the job runner sends them
 * (lib/alerts/deliver.ts checks the admin's switch again then). The member concerned is not alerted
 * about themselves: they get their own security notice (lib/mfa/notify.ts).
 *
 * A failure here is logged and swallowed: the member's own action must not fail because an alert could
 * not be queued.
 */
import type { Db } from "@/lib/db/client";
import { enqueueJobs } from "@/lib/jobs/queue";
import { wakeJobRunner } from "@/lib/jobs/runner";
import type { AlertKind } from "./kinds";
import type { AlertDetail } from "./messages";
import { alertRecipients } from "./recipients";

export type MemberAlertKind = Exclude<AlertKind, "grace-ended" | "weekly-digest">;

export async function alertAdmins(
  db: Db,
  input: {
    kind: MemberAlertKind;
    orgId: string;
    member: { id: string; name: string; email: string };
    /** The audit row of the event (unique per event). */
    ref: number | string;
    detail?: Omit<AlertDetail, "member" | "at">;
    at?: Date;
  },
) {
  try {
    const recipients = await alertRecipients(db, input.orgId, input.kind, input.member.id);
    const payload = {
      alert: input.kind,
      member: { id: input.member.id, name: input.member.name, email: input.member.email },
      at: (input.at ?? new Date()).toISOString(),
      ...input.detail,
    };
    const added = await enqueueJobs(
      db,
      recipients.map((r) => ({
        key: `alert:${input.kind}:${input.ref}:${r.id}`,
        kind: "alert" as const,
        orgId: input.orgId,
        payload: { ...payload, recipientId: r.id },
      })),
    );
    if (added) wakeJobRunner();
    return added;
  } catch (error) {
    console.error(`[alerts] could not queue a ${input.kind} alert: ${(error as Error)?.name ?? "error"}`);
    return 0;
  }
}
