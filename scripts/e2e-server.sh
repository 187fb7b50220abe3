#!/usr/bin/env bash
# The app as e2e tests see it: a production build (`next build` + server.ts, what `npm start` runs) on a fresh embedded
# database with the demo seed, on $E2E_PORT. A production build does not hot-reload or compile on
# demand, so tests are not disturbed by edits or first-visit compiles. The dev mailbox is switched on
# for it with DEV_MAILBOX=1, which only works for a localhost URL (lib/config.ts).
# Everything the server prints also goes to .data/e2e-server-$port.log (searched for leaked secrets).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${E2E_PORT:-3100}"
log=".data/e2e-server-${port}.log"
mkdir -p .data
export PGLITE_DIR="$PWD/.data/e2e-pglite-${port}"
export NEXT_DIST_DIR=".next-e2e-${port}"
export NEXTAUTH_URL="http://localhost:${port}"
export NEXTAUTH_SECRET="$(openssl rand -base64 32)"
export ENCRYPTION_KEY="$(openssl rand -base64 32)"
export DEV_MAILBOX=1
# Kept so the log scan (scripts/scan-server-log.mjs) can prove these never appear in the output.
printf 'NEXTAUTH_SECRET=%s\nENCRYPTION_KEY=%s\n' "$NEXTAUTH_SECRET" "$ENCRYPTION_KEY" > ".data/e2e-secrets-${port}"
export E2E_BUILD=1
# Next adds its build dir's type folders to the tsconfig it uses: give it a throwaway one.
export NEXT_TSCONFIG="tsconfig.e2e-${port}.json"
echo '{ "extends": "./tsconfig.json" }' > "$NEXT_TSCONFIG"
unset DATABASE_URL
rm -rf "$PGLITE_DIR"
npx tsx scripts/db.ts setup 2>&1 | tee "$log"
npx next build 2>&1 | tail -5 | tee -a "$log"
# No proxy in front: the client address is the connection's peer (S35; e2e/client-address.spec.ts).
unset TRUSTED_PROXY_HOPS TRUSTED_PROXIES
exec npx tsx server.ts --port "$port" 2>&1 | tee -a "$log"
