/** `next dev` compiles each route on first request: warm the routes up once so tests wait on behaviour, not on compiles. */
import type { FullConfig } from "@playwright/test";

export const WARM_PATHS = ["/login", "/signup", "/", "/profile", "/api/auth/session", "/api/auth/csrf", "/login/verify", "/login/setup", "/admin", "/dev/mailbox"];

export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]!.use.baseURL!;
  for (const path of WARM_PATHS) {
    await fetch(new URL(path, baseURL), { redirect: "manual" }).catch(() => undefined);
  }
}
