#!/usr/bin/env bash
# The README's run command: environment, install, migrate, demo data on first run, then serve
# the web app and a task worker on http://127.0.0.1:8000 with SQLite under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# What the demo uses: the core, the demo data generator and the classifiers (pyproject.toml's
# extras `demo` and `classifiers`; SQLite needs no driver), pinned with hashes.
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements-run.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
.venv/bin/socialguard setup
exec .venv/bin/socialguard serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
