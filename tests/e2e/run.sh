#!/usr/bin/env bash
# Browser tests of the web front end against the real server.
# Needs: web/dist built (npm run build), the server built (build/motcua or $MOTCUA_BIN),
# web/node_modules installed (npm ci), and Debian's /usr/bin/chromium.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [[ ! -f web/dist/index.html ]]; then
  echo "tests/e2e: web/dist is missing; run 'npm ci && npm run build' in web/ first" >&2
  exit 1
fi
if [[ ! -d web/node_modules/playwright-core ]]; then
  echo "tests/e2e: web/node_modules is missing; run 'npm ci' in web/ first" >&2
  exit 1
fi
exec node --test --test-reporter=spec tests/e2e/
