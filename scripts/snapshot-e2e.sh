#!/usr/bin/env bash
# Runs Playwright on a snapshot of the working tree (in /tmp), so that edits made while the tests run
# (by you or a teammate) do not hot-reload the pages under test. Usage: scripts/snapshot-e2e.sh [playwright args]
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
dest="/tmp/guardian-e2e-${E2E_PORT:-3100}"
mkdir -p "$dest"
rsync -a --delete --exclude node_modules --exclude '.next*' --exclude .data --exclude test-results --exclude .git "$src/" "$dest/"
# Turbopack will not follow a node_modules symlink out of the project: hard-link a copy (fast, no extra space).
[ -L "$dest/node_modules" ] && rm "$dest/node_modules"
[ -d "$dest/node_modules" ] || cp -al "$src/node_modules" "$dest/node_modules"
cd "$dest" && npx playwright test "$@"
