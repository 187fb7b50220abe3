/**
 * The address an admin sees for a member. A placeholder member (invited while the address had an
 * account in another organisation, see lib/admin/invitations.ts) shows the address that was invited,
 * like any pending invitation; its `email` column holds `placeholder:<uuid>` and is never shown.
 */
import { sql, type AnyColumn } from "drizzle-orm";

export const memberEmail = (u: { email: string; placeholderFor: string | null }) => u.placeholderFor ?? u.email;

/** The same in SQL, for `users` or an alias of it. */
export const memberEmailSql = (t: { email: AnyColumn; placeholderFor: AnyColumn }) =>
  sql<string>`coalesce(${t.placeholderFor}, ${t.email})`;
