#!/usr/bin/env bash
# The app as e2e tests see it: a fresh embedded database, the demo seed, `next dev` on $E2E_PORT.
# Everything the server prints also goes to .data/e2e-server-${port}.log (searched for leaked secrets).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${E2E_PORT:-3100}"
export PGLITE_DIR="$PWD/.data/e2e-pglite-${port}"
export NEXT_DIST_DIR=".next-e2e-${port}"
export NEXTAUTH_URL="http://localhost:${port}"
# Next adds its build dir's type folders to the tsconfig it uses: give it a throwaway one.
export NEXT_TSCONFIG="tsconfig.e2e-${port}.json"
echo '{ "extends": "./tsconfig.json" }' > "$NEXT_TSCONFIG"
unset DATABASE_URL
rm -rf "$PGLITE_DIR"
mkdir -p .data
npx tsx scripts/db.ts setup 2>&1 | tee .data/e2e-server-${port}.log
exec npx next dev --port "$port" 2>&1 | tee -a .data/e2e-server-${port}.log
