#!/usr/bin/env bash
# npm test: type check, lint, unit, integration (PGlite, and PostgreSQL when DATABASE_URL is set),
# Playwright e2e in Debian's Chromium. Installs Chromium and oathtool with apt-get when missing.
# Ends with one line: "N passed, N failed, N skipped" over every suite.
set -uo pipefail
cd "$(dirname "$0")/.."
out=".data/test-results"
rm -rf "$out" && mkdir -p "$out"

need_apt=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need_apt+=(chromium)
command -v oathtool >/dev/null 2>&1 || need_apt+=(oathtool)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need_apt[*]} with apt-get…"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_apt[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_apt[@]}" >/dev/null; }) ||
      echo "apt-get could not install ${need_apt[*]}."
  else
    echo "Missing Debian packages: ${need_apt[*]}. Install them with: sudo apt-get install -y ${need_apt[*]}"
  fi
fi
[ -d node_modules ] || npm install

step() { # step NAME COMMAND...: a pass/fail check counted as one test
  local name=$1; shift
  echo "── $name"
  if "$@"; then echo pass > "$out/$name.step"; else echo fail > "$out/$name.step"; fi
}

step typecheck npx tsc --noEmit
step lint npx eslint . --max-warnings 0
step format npx prettier --check . --log-level warn

echo "── unit + integration (PGlite)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest-pglite.json"

if [ -n "${DATABASE_URL:-}" ]; then
  echo "── integration (PostgreSQL)"
  TEST_DB=postgres npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/vitest-postgres.json"
else
  echo "── integration (PostgreSQL): skipped, DATABASE_URL is not set"
fi

echo "── e2e (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" E2E_PORT=3100 npx playwright test --reporter=list,json
step server-log-scan node scripts/scan-server-log.mjs .data/e2e-server-3100.log .data/e2e-secrets-3100

node scripts/test-summary.mjs "$out"
