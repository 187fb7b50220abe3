/**
 * "Forgot your password?": the user gives an email address and always gets the same answer. Every
 * request sends one email: the reset link to an account that can use one, or a short "no account can
 * be reset with this address" note otherwise, so both paths do the same work (similar time), and a mail
 * server that is down fails both the same way. Limited per client address and per address typed.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { RESET_EMAIL_LIMIT, RESET_IP_LIMIT, keys, minutesText, reserveAttempt } from "@/lib/attempts";
import { audit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { organizations, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { noResetEmail, type NoResetReason } from "@/lib/mail/reset-templates";
import type { RequestMeta } from "@/lib/request-context";
import { email } from "@/lib/validation";
import { RESET_LINK_MINUTES, issueResetLink } from "./reset-links";

export const forgotPasswordSchema = z.object({ email });

export const FORGOT_PASSWORD_ANSWER =
  `If an account exists for that address, we sent it a link to choose a new password. The link works once, for ${RESET_LINK_MINUTES} minutes. ` +
  "Check your spam folder if it does not arrive.";

export const FORGOT_PASSWORD_LIMITED = (seconds: number) => `Too many password reset requests. Try again in ${minutesText(seconds)}.`;

const REASON_DETAIL: Record<NoResetReason, string> = { unknown: "unknown_email", deactivated: "deactivated", not_activated: "no_password" };

export async function requestPasswordReset(
  db: Db,
  input: z.infer<typeof forgotPasswordSchema>,
  ctx: { baseUrl: string; meta: RequestMeta },
) {
  // Counted before anything is looked up: the answer to a limited request says nothing about the account.
  for (const [key, limit] of [
    [keys.resetIp(ctx.meta.ip), RESET_IP_LIMIT],
    [keys.resetEmail(input.email), RESET_EMAIL_LIMIT],
  ] as const) {
    const reservation = await reserveAttempt(db, key, limit);
    if (!reservation.allowed) throw new AppError("rate_limited", FORGOT_PASSWORD_LIMITED(reservation.retryAfterSeconds));
  }

  const [row] = await db
    .select({ user: users, org: organizations })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, input.email));
  const reason: NoResetReason | null = !row
    ? "unknown"
    : row.user.deactivatedAt
      ? "deactivated"
      : !row.user.passwordHash
        ? "not_activated"
        : null;

  if (reason || !row) {
    await sendMail({ to: input.email, ...noResetEmail({ reason: reason ?? "unknown" }) });
    // Unknown addresses are recorded without an organisation (no admin sees them) and without the address.
    // Recorded without an organisation unless the account is deactivated: for an invited member who never
    // chose a password, their organisation's log would tell whether the address has an account elsewhere.
    const visible = reason === "deactivated" ? row?.user : null;
    await audit(db, {
      orgId: visible?.orgId ?? null,
      event: "password.reset.requested",
      targetUserId: visible?.id ?? null,
      detail: { reason: REASON_DETAIL[reason ?? "unknown"] },
      meta: ctx.meta,
    });
    return { message: FORGOT_PASSWORD_ANSWER };
  }

  const { user, org } = row;
  await issueResetLink(db, row, {
    baseUrl: ctx.baseUrl,
    audit: (tx) => audit(tx, { orgId: org.id, event: "password.reset.requested", targetUserId: user.id, meta: ctx.meta }),
  });
  return { message: FORGOT_PASSWORD_ANSWER };
}
