#!/usr/bin/env bash
# Installs the system packages the full test suite uses (PostgreSQL, Chromium, npm and a C++
# toolchain) when they are missing and this shell may install them (root with apt-get), then what
# npm fetches into var/cache/ (axe-core; Node 22 and @atproto/dev-env for the Bluesky tests).
# Otherwise says what will be skipped.
set -euo pipefail
need=()
command -v npm >/dev/null || need+=(npm)  # fetches axe-core and the AT Protocol test network
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
[ -x "${SOCIALGUARD_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
# node-gyp compiles better-sqlite3 (for the AT Protocol test network) with these.
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v pgrep >/dev/null || need+=(procps)  # scripts/test.sh stops an interrupted run with what it started
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${need[*]} with apt-get..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "NOTE: ${need[*]} not installed and cannot be installed here (needs root and apt-get)."
    echo "      The tests that need them will be skipped; CI installs them and runs everything."
  fi
fi
if command -v npm >/dev/null; then
  bash "$(dirname "$0")/axe-core.sh"
  if command -v make >/dev/null && command -v g++ >/dev/null; then
    bash "$(dirname "$0")/atproto-dev-env.sh" install
  fi
fi
exit 0
