"""Running the real `socialguard` command in child processes against a database they can share
with the test: a migrated SQLite file in a temporary DATA_DIR, or, on PostgreSQL, the test
database itself (tests using it must be transactional so the children see committed rows)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

CLI = [sys.executable, "-m", "socialguard.cli"]


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def shared_database_url() -> str:
    """The URL of the database the test process uses (PostgreSQL only)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a child `socialguard`: its own DATA_DIR, the shared database, and
    the PYTHONPATH of this run so that it imports the code under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALGUARD_")}
    env["DJANGO_SETTINGS_MODULE"] = "socialguard.settings"
    env["SOCIALGUARD_DATA_DIR"] = str(data_dir)
    if on_postgres():
        env["SOCIALGUARD_DATABASE_URL"] = shared_database_url()
    env.update(extra)
    return env


def cli(
    env: dict[str, str], *args: str, timeout: float = 300, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False, input=stdin
    )


_set_up_once: list[Path] = []


def _set_up_data_dir() -> Path:
    """A DATA_DIR as `socialguard setup --no-demo` leaves it on SQLite (a migrated database and its
    keys), made once per test session: the migrations take seconds, in every test that needs one."""
    if not _set_up_once:
        template = Path(tempfile.mkdtemp(prefix="socialguard-setup-")) / "data"
        atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
        done = cli(child_env(template), "setup", "--no-demo")
        assert done.returncode == 0, done.stdout + done.stderr
        _set_up_once.append(template)
    return _set_up_once[0]


def prepare(data_dir: Path, *, own_setup: bool = False) -> dict[str, str]:
    """A DATA_DIR whose database is migrated (PostgreSQL's test database is migrated already). On
    SQLite it is a copy of one made by `socialguard setup --no-demo` (files, modes and keys as that
    left them); own_setup=True runs `setup` here instead, for a test about what setup writes."""
    env = child_env(data_dir)
    if not on_postgres():
        if own_setup:
            done = cli(env, "setup", "--no-demo")
            assert done.returncode == 0, done.stdout + done.stderr
        else:
            shutil.copytree(_set_up_data_dir(), data_dir, dirs_exist_ok=True)
    return env


def wait_for(what: str, check: Callable[[], Any], timeout: float = 30, every: float = 0.2) -> Any:
    """Poll `check` until it returns something true. A connection that fails or times out (an
    OSError: the server is still starting, or busy importing Django on a loaded machine) counts as
    "not yet", so that only the deadline ends the wait."""
    deadline = time.monotonic() + timeout
    last_error: OSError | None = None
    while True:
        try:
            value = check()
        except OSError as error:
            value, last_error = None, error
        if value:
            return value
        if time.monotonic() > deadline:
            also = f" (last: {last_error!r})" if last_error else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{also}")
        time.sleep(every)


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serve_status(data_dir: Path) -> dict[str, Any] | None:
    try:
        return dict(json.loads((data_dir / "run" / "serve.json").read_text()))
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
