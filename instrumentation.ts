/**
 * Runs once when the server starts. In production a missing NEXTAUTH_SECRET or ENCRYPTION_KEY stops the
 * start with a message saying how to create them (lib/config.ts); in development they are generated.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getSecrets } = await import("./lib/config");
  getSecrets();
}
