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
  trap 'bash scripts/pg-test-server.sh stop "$pgdir"' EXIT  # replaced below, once the runs start
  url=$(bash scripts/pg-test-server.sh start "$pgdir" "$port")
  .venv/bin/python -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute("CREATE DATABASE atproto")' "$url"
  export SOCIALGUARD_ATPROTO_PG_URL=${url%/*}/atproto
elif [ "${SOCIALGUARD_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required (SOCIALGUARD_REQUIRE_POSTGRES=1) but not installed" >&2; exit 1
fi

if [ -z "$url" ]; then
  echo "== PostgreSQL not installed: the PostgreSQL run is skipped (CI runs it)"
  echo "== tests on SQLite"
  .venv/bin/pytest -q -p no:cacheprovider "$@"
  exit 0
fi

# Both runs at once, each with its own temporary and data folders (tests that look for stray
# files must not meet the other run's), the PostgreSQL run's output kept until SQLite's is done.
# Most of a run is one busy core, or waiting on a browser or a server: side by side, the two
# take about as long as the longer one. SOCIALGUARD_TESTS_ONE_AT_A_TIME=1 runs them in turn.
runs=$(mktemp -d /tmp/socialguard-tests.XXXXXX)
mkdir -p "$runs/sqlite-tmp" "$runs/pg-tmp" "$runs/pg-data"
# An interrupted run stops the other too: a background job here ignores Ctrl-C, so it is sent
# TERM, with what it started (a browser, the AT Protocol network's node processes).
stop_tree() {
  local child
  for child in $(pgrep -P "$1"); do stop_tree "$child"; done
  kill -TERM "$1" 2>/dev/null || true
}
trap '[ -z "$pg_pid" ] || { stop_tree "$pg_pid"; wait "$pg_pid"; } 2>/dev/null; bash scripts/pg-test-server.sh stop "$pgdir"; rm -rf "$runs"' EXIT
trap 'exit 130' INT TERM  # Ctrl-C: once the foreground run has stopped, the EXIT trap runs
postgres_tests() {
  TMPDIR=$runs/pg-tmp SOCIALGUARD_DATA_DIR=$runs/pg-data SOCIALGUARD_DATABASE_URL=$url \
    .venv/bin/pytest -q -p no:cacheprovider "$@"
}
pg_pid=""
if [ "${SOCIALGUARD_TESTS_ONE_AT_A_TIME:-0}" != 1 ]; then
  (rc=0; postgres_tests "$@" >"$runs/pg.log" 2>&1 || rc=$?; echo "$rc" >"$runs/pg.rc") &
  pg_pid=$!
  echo "== tests on PostgreSQL ($url): started beside the SQLite run; its output follows it"
fi
echo "== tests on SQLite"
sqlite_rc=0
TMPDIR=$runs/sqlite-tmp SOCIALGUARD_TESTS_POSTGRES_RUN=1 .venv/bin/pytest -q -p no:cacheprovider "$@" || sqlite_rc=$?
echo "== tests on PostgreSQL ($url)"
if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || true
  pg_pid=""
  cat "$runs/pg.log"
  pg_rc=$(cat "$runs/pg.rc" 2>/dev/null || echo 1)
else
  pg_rc=0
  postgres_tests "$@" || pg_rc=$?
fi
# Each run leaves some tests to the other (tests/conftest.py): the rules engine's run on SQLite
# only, schemathesis on PostgreSQL only. Given only those, one run finds nothing to run, which
# pytest reports as 5: that is a failure only if neither ran anything.
if [ "$sqlite_rc" -eq 5 ] && [ "$pg_rc" -eq 5 ]; then
  echo "== no tests ran" >&2; exit 5
fi
[ "$sqlite_rc" -ne 5 ] || sqlite_rc=0
[ "$pg_rc" -ne 5 ] || pg_rc=0
[ "$sqlite_rc" -eq 0 ] || echo "== the SQLite run failed (exit $sqlite_rc)" >&2
[ "$pg_rc" -eq 0 ] || echo "== the PostgreSQL run failed (exit $pg_rc)" >&2
[ "$sqlite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
