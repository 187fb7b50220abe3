/**
 * Runs once when the server starts. In production a missing NEXTAUTH_SECRET or ENCRYPTION_KEY stops the
 * start with a message saying how to create them (lib/config.ts); in development they are generated.
 * Started without server.ts (plain `next start` / `next dev`), the app cannot know client addresses, so
 * every client would share one per-address attempt budget ("unknown"): production refuses to start,
 * development says so.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getSecrets } = await import("./lib/config");
  getSecrets();
  const { behindClientAddressServer } = await import("./lib/client-address");
  if (!behindClientAddressServer()) {
    if (process.env.NODE_ENV === "production") {
      // Every client would share one per-address budget: 50 wrong passwords would lock every sign-in.
      throw new Error(
        "Start the production server with `npm start` (server.ts), not `next start`: only server.ts knows the client's address.",
      );
    }
    console.warn(
      "Warning: started without server.ts (`npm start`, `npm run dev`): client addresses are unknown, so attempt limits per address are shared by every client and the audit log records no address.",
    );
  }
}
