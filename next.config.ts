import type { NextConfig } from "next";
import { staticSecurityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files; argon2 is a native addon: load both from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // Next 16 dev logs server-action arguments (passwords, codes): never.
  logging: { serverFunctions: false },
  // The e2e server builds into its own folder so it can run beside a developer's `npm run dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // ...and points Next at its own tsconfig, which Next rewrites with that build dir's type folders.
  // (The e2e build skips Next's own type check: `npm test` type-checks the whole tree first.)
  typescript: { tsconfigPath: process.env.NEXT_TSCONFIG || "tsconfig.json", ignoreBuildErrors: process.env.E2E_BUILD === "1" },
  poweredByHeader: false,
  devIndicators: false,
  // Security headers for what proxy.ts skips (route handlers, static assets, images); proxy.ts covers the pages.
  async headers() {
    const headers = Object.entries(staticSecurityHeaders()).map(([key, value]) => ({ key, value }));
    return [
      { source: "/_next/static/:path*", headers },
      { source: "/_next/image", headers },
      { source: "/favicon.ico", headers },
      // Route handlers answer JSON: nothing in them may run, be framed or be cached.
      {
        source: "/api/:path*",
        headers: [
          ...headers,
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "Cache-Control", value: "no-store, max-age=0" },
        ],
      },
    ];
  },
};

export default nextConfig;
