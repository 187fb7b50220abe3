import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files; argon2 is a native addon: load both from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // Next 16 dev logs server-action arguments (passwords, codes): never.
  logging: { serverFunctions: false },
  // The e2e server builds into its own folder so it can run beside a developer's `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  devIndicators: false,
};

export default nextConfig;
