import { authedApi } from "@/lib/api/route";
import { signOutSession } from "@/lib/users/own-sessions";

/** Ends the token's session (and every token of it), audited like a browser's sign-out. */
export const POST = authedApi(
  null,
  async (_input, { db, meta, principal }) => {
    await signOutSession(db, principal.id, principal.sessionId, meta);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },
  { allowMustEnrol: true },
);
