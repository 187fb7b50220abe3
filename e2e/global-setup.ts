/** One request to each public route before the tests, so the first test does not pay for cold caches. */
import type { FullConfig } from "@playwright/test";

const PATHS = ["/login", "/signup", "/api/auth/session", "/api/auth/csrf", "/login/verify", "/dev/mailbox"];

export default async function globalSetup(config: FullConfig) {
  const { baseURL } = config.projects[0]!.use;
  for (const path of PATHS) await fetch(new URL(path, baseURL), { redirect: "manual" }).catch(() => undefined);
}
