import { defineConfig, devices } from "@playwright/test";
import { E2E_LOCALE } from "./e2e/locale";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** A server that is already running (yours, or a colleague's): the tests use it and build nothing. */
const EXTERNAL = process.env.E2E_BASE_URL?.replace(/\/+$/, "");
export const baseURL = EXTERNAL ?? `http://localhost:${PORT}`;

/**
 * e2e runs in Debian's Chromium against a production build (`next build`, then server.ts: scripts/e2e-server.sh)
 * on a fresh embedded database in .data/e2e-pglite-<port> with the demo seed. E2E_PORT (default 3100) picks
 * the port; each port has its own database and build dir (.next-e2e-<port>). The server's output is kept in
 * .data/e2e-server-<port>.log so `npm test` can check that no secret was ever logged.
 * With E2E_BASE_URL (e.g. http://localhost:3000 for `npm run dev`) no server is built or started: the
 * tests run against that one (it needs the dev mailbox: `npm run dev`, or the e2e server of another port).
 */
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  outputDir: `test-results/e2e-${PORT}`,
  reporter: [["list"], ["json", { outputFile: `test-results/e2e-${PORT}.json` }]],
  use: {
    baseURL,
    locale: E2E_LOCALE,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: EXTERNAL
    ? undefined
    : {
        command: "bash scripts/e2e-server.sh",
        url: `${baseURL}/api/health`,
        timeout: 420_000,
        reuseExistingServer: false,
        stdout: "ignore",
        stderr: "pipe",
        env: { E2E_PORT: String(PORT) },
      },
});
