import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files; argon2 is a native addon: load both from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // Next 16 dev logs server-action arguments (passwords, codes): never.
  logging: { serverFunctions: false },
  poweredByHeader: false,
  devIndicators: false,
};

export default nextConfig;
