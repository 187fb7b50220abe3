/**
 * GET /api/dev/mail?to=<address>&limit=N&after=<id>: the dev mailbox as JSON, newest first, for
 * testers' scripts (e2e/helpers/mailbox.ts). 404 in production. In development it is deliberately
 * unauthenticated, like /dev/mailbox: it only ever holds mail sent while SMTP_URL is unset.
 */
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { DEV_MAIL_DEFAULT_LIMIT, DEV_MAIL_MAX_LIMIT, devMailJson, devMailboxEnabled, listDevMail } from "@/lib/mail/dev-mailbox";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  to: z.string().trim().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(DEV_MAIL_MAX_LIMIT).default(DEV_MAIL_DEFAULT_LIMIT),
  after: z.coerce.number().int().min(0).optional(),
});

const noStore = { "cache-control": "no-store" };

export async function GET(request: Request) {
  if (!devMailboxEnabled()) return new Response("Not found", { status: 404 });
  const params = new URL(request.url).searchParams;
  const parsed = querySchema.safeParse({
    to: params.get("to") || undefined,
    limit: params.get("limit") || undefined,
    after: params.get("after") || undefined,
  });
  if (!parsed.success) {
    return Response.json({ error: "Bad query", fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400, headers: noStore });
  }
  const rows = await listDevMail(await getDb(), parsed.data);
  return Response.json(rows.map(devMailJson), { headers: noStore });
}
