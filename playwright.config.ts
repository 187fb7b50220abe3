import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${PORT}`;

/**
 * e2e runs in Debian's Chromium against a production build (`next build`, then server.ts: scripts/e2e-server.sh)
 * on a fresh embedded database in .data/e2e-pglite-<port> with the demo seed. E2E_PORT (default 3100) picks
 * the port; each port has its own database and build dir (.next-e2e-<port>). The server's output is kept in
 * .data/e2e-server-<port>.log so `npm test` can check that no secret was ever logged.
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
  webServer: {
    command: "bash scripts/e2e-server.sh",
    url: `${baseURL}/api/health`,
    timeout: 420_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT) },
  },
});
