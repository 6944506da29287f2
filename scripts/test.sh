#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs the whole suite on SQLite
# and again on a real PostgreSQL server, plus ruff, mypy and the import-linter layers contract.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements-test.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
bash scripts/system-deps.sh

echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
echo "== layers"; (cd src && ../.venv/bin/lint-imports --no-cache ../pyproject.toml)

# One throwaway PostgreSQL server for both runs: the SQLite run needs it too, for the AppView of
# the AT Protocol test network (tests/atproto.py), which keeps its index in a database of its own.
url=""
if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  pgdir=$(mktemp -d /tmp/socialguard-pg.XXXXXX)
  port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  trap 'bash scripts/pg-test-server.sh stop "$pgdir"' EXIT
  url=$(bash scripts/pg-test-server.sh start "$pgdir" "$port")
  .venv/bin/python -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute("CREATE DATABASE atproto")' "$url"
  export SOCIALGUARD_ATPROTO_PG_URL=${url%/*}/atproto
elif [ "${SOCIALGUARD_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required (SOCIALGUARD_REQUIRE_POSTGRES=1) but not installed" >&2; exit 1
fi

echo "== tests on SQLite"
.venv/bin/pytest -q -p no:cacheprovider "$@"

if [ -n "$url" ]; then
  echo "== tests on PostgreSQL ($url)"
  # The rules engine's tests are left out here (tests/conftest.py): given only those, nothing
  # runs, which pytest reports as 5.
  SOCIALGUARD_DATABASE_URL=$url .venv/bin/pytest -q -p no:cacheprovider "$@" || [ $? -eq 5 ]
else
  echo "== PostgreSQL not installed: skipped the PostgreSQL run (CI runs it)"
fi
