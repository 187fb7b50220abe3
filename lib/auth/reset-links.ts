/**
 * Password-reset links: issue (email first, then make older links useless), look up, and which second
 * factor a link needs before the new password. The token is 256 random bits in the link; the database
 * holds only its SHA-256 (a long random value: a hash cannot be reversed by trying values). A link
 * works once, for 30 minutes, and only while it is the newest one of its user.
 */
import { and, eq, isNull, lt, ne, sql } from "drizzle-orm";
import { constantTimeEqual, randomToken, sha256 } from "@/lib/crypto";
import type { Db, Executor } from "@/lib/db/client";
import { organizations, passwordResets, users } from "@/lib/db/schema";
import { sendMail } from "@/lib/mail";
import { passwordResetEmail } from "@/lib/mail/reset-templates";
import { remainingRecoveryCodes, usableFactors } from "@/lib/mfa/factors";

export const RESET_LINK_MINUTES = 30;

export type ResetTarget = { user: typeof users.$inferSelect; org: typeof organizations.$inferSelect };

export function resetUrl(baseUrl: string, token: string) {
  return `${baseUrl.replace(/\/+$/, "")}/reset-password/${token}`;
}

/**
 * Creates a link for the user and emails it. The row is inserted first (with `authorize` in the same
 * transaction: the admin check), then the email is sent outside any transaction (the embedded database
 * has one connection, which the dev mailbox also uses). If sending fails the new row is deleted and
 * MailDeliveryError is thrown: older links still work, nothing else changed. Only after a successful
 * send are the user's older links superseded, with `audit` in that transaction.
 */
export async function issueResetLink(
  db: Db,
  target: ResetTarget,
  options: {
    baseUrl: string;
    sentBy?: { id: string; name: string };
    authorize?: (tx: Executor) => Promise<void>;
    audit: (tx: Executor) => Promise<void>;
  },
) {
  const token = randomToken();
  const row = await db.transaction(async (tx) => {
    await options.authorize?.(tx);
    const [inserted] = await tx
      .insert(passwordResets)
      .values({
        userId: target.user.id,
        orgId: target.user.orgId,
        tokenHash: sha256(token),
        expiresAt: sql`now() + make_interval(mins => ${RESET_LINK_MINUTES})`,
        sentBy: options.sentBy?.id ?? null,
      })
      .returning({ id: passwordResets.id, expiresAt: passwordResets.expiresAt });
    return inserted!;
  });
  try {
    const email = passwordResetEmail({
      orgName: target.org.name,
      userName: target.user.name,
      link: resetUrl(options.baseUrl, token),
      expiresAt: row.expiresAt,
      minutesValid: RESET_LINK_MINUTES,
      sentBy: options.sentBy?.name,
    });
    await sendMail({ to: target.user.email, ...email });
  } catch (error) {
    await db.delete(passwordResets).where(eq(passwordResets.id, row.id));
    throw error;
  }
  await db.transaction(async (tx) => {
    // Older links only: of two requests at once, the later link survives whichever send finishes first.
    await tx
      .update(passwordResets)
      .set({ supersededAt: sql`now()` })
      .where(
        and(
          eq(passwordResets.userId, target.user.id),
          ne(passwordResets.id, row.id),
          // Compared in SQL: the database keeps microseconds, a JavaScript Date only milliseconds.
          lt(passwordResets.createdAt, sql`(SELECT p.created_at FROM password_resets p WHERE p.id = ${row.id})`),
          isNull(passwordResets.usedAt),
          isNull(passwordResets.supersededAt),
        ),
      );
    await options.audit(tx);
  });
  return { expiresAt: row.expiresAt };
}

export type ResetLinkStatus = "invalid" | "expired" | "used" | "superseded";

export const RESET_LINK_MESSAGES: Record<ResetLinkStatus, { title: string; text: string }> = {
  invalid: {
    title: "This link is not valid",
    text: "This password reset link is not valid. Check that you opened the whole link from the email, or ask for a new one.",
  },
  expired: {
    title: "This link has expired",
    text: `Password reset links work for ${RESET_LINK_MINUTES} minutes. Ask for a new one.`,
  },
  used: {
    title: "This link was already used",
    text: "A new password was already chosen with this link. Sign in with it, or ask for a new link if you need to.",
  },
  superseded: {
    title: "A newer link was sent",
    text: "A newer password reset link was sent after this one, so this one no longer works. Use the link in the most recent email.",
  },
};

export type LiveResetLink = ResetTarget & { reset: typeof passwordResets.$inferSelect };

/** The link behind a token: live (with its user and organisation), or why not. Reveals nothing else. */
export async function findResetLink(
  db: Executor,
  token: unknown,
): Promise<{ status: "ok"; link: LiveResetLink } | { status: ResetLinkStatus }> {
  if (typeof token !== "string" || token.length < 16 || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return { status: "invalid" };
  const [row] = await db
    .select({ reset: passwordResets, user: users, org: organizations, expired: sql<boolean>`${passwordResets.expiresAt} <= now()` })
    .from(passwordResets)
    .innerJoin(users, and(eq(users.id, passwordResets.userId), eq(users.orgId, passwordResets.orgId)))
    .innerJoin(organizations, eq(organizations.id, passwordResets.orgId))
    .where(eq(passwordResets.tokenHash, sha256(token)));
  if (!row || row.user.deactivatedAt || !row.user.passwordHash) return { status: "invalid" };
  if (row.reset.usedAt) return { status: "used" };
  if (row.reset.supersededAt) return { status: "superseded" };
  if (row.expired) return { status: "expired" };
  return { status: "ok", link: { reset: row.reset, user: row.user, org: row.org } };
}

/**
 * Which second factor the user must pass before choosing a new password: one login would accept,
 * other than email codes (they go to the mailbox the link went to). Asked when login asks for a
 * second factor at all and the user has an authenticator app the organisation allows, or unused
 * recovery codes. `required` false: the link alone is enough (no 2FA, or email codes only).
 */
export async function stepUpOptions(db: Executor, target: ResetTarget) {
  const factors = await usableFactors(db, target.user, target.org);
  if (factors.length === 0) return { required: false, totp: false, recovery: false };
  const totp = factors.some((f) => f.type === "totp");
  const recovery = (await remainingRecoveryCodes(db, target.user.id)) > 0;
  return { required: totp || recovery, totp, recovery };
}

/** This browser passed the second factor for this link: its cookie matches the stored hash. */
export function verifiedBy(reset: { verifiedHash: string | null }, proof: string | null | undefined) {
  return !!reset.verifiedHash && typeof proof === "string" && proof.length <= 200 && constantTimeEqual(sha256(proof), reset.verifiedHash);
}
