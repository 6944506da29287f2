#!/usr/bin/env bash
# Installs the system packages the full test suite uses (PostgreSQL, Chromium) when they are
# missing and this shell may install them (root with apt-get). Otherwise says what will be skipped.
set -euo pipefail
need=()
command -v npm >/dev/null || need+=(npm)  # fetches axe-core for the accessibility test
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
[ -x "${SOCIALGUARD_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then bash "$(dirname "$0")/axe-core.sh"; exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "NOTE: ${need[*]} not installed and cannot be installed here (needs root and apt-get)."
  echo "      The tests that need them will be skipped; CI installs them and runs everything."
fi
command -v npm >/dev/null && bash "$(dirname "$0")/axe-core.sh"
exit 0
