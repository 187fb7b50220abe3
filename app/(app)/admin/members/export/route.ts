/** CSV export of the members table. Authorised here (admin of the organisation), scoped to that organisation. */
import { ENROL_FIRST_MESSAGE } from "@/lib/action";
import { exportMembersCsv, STATUS_FILTERS, type StatusFilter } from "@/lib/admin/members-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in first.", { status: 401, headers: { "cache-control": "no-store" } });
  if (user.role !== "admin")
    return new Response("You do not have permission to do that.", { status: 403, headers: { "cache-control": "no-store" } });
  if (user.mustEnrol) return new Response(ENROL_FIRST_MESSAGE, { status: 403, headers: { "cache-control": "no-store" } });
  const status = new URL(request.url).searchParams.get("status");
  const filter: StatusFilter = STATUS_FILTERS.includes(status as StatusFilter) ? (status as StatusFilter) : "all";
  try {
    const csv = await exportMembersCsv(await getDb(), { id: user.id, orgId: user.orgId }, { filter });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="members-${day}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden") return new Response(error.message, { status: 403 });
    throw error;
  }
}
