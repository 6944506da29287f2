"""`socialguard serve` with real processes: a busy port is refused, a dead task worker is restarted
while the web server carries on (and /healthz says so meanwhile), the web server's death ends
serve with its exit code, and on SQLite a long write neither blocks readers nor kills the worker."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.processes import CLI, alive, child_env, cli, get, on_postgres, prepare, serve_status, wait_for


def test_busy_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli(child_env(data), "serve", "--port", str(port), timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert f"--port {port + 1}" in done.stderr and f"PORT={port + 1}" in done.stderr
    assert "running on" not in done.stdout
    assert not (data / "run").exists()  # no worker, scheduler or web server was started


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    data: Path
    url: str
    log: Path

    def status(self) -> dict[str, Any]:
        status = serve_status(self.data)
        assert status is not None
        return status

    def child_pid(self, name: str) -> int:
        return int(self.status()["children"][name]["pid"])

    def healthz(self) -> tuple[int, dict[str, Any]]:
        code, body = get(self.url + "healthz")
        return code, json.loads(body)

    def messages(self) -> str:
        return self.log.read_text()


def start_serve(data: Path, env: dict[str, str], *options: str) -> Served:
    out, err = data.parent / "serve.out", data.parent / "serve.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        # A session of its own, so that teardown can end every process serve started, gunicorn's
        # workers too (orphaned when a test kills their master, they kept a PostgreSQL connection
        # open and the test database could not be dropped).
        process = subprocess.Popen(
            [*CLI, "serve", "--port", "0", "--workers", "1", *options],
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    match = wait_for(
        "serve to say where it runs",
        lambda: (
            (process.poll() is None and re.search(r"running on (http://127\.0\.0\.1:\d+/)", out.read_text()))
            or (
                process.poll() is not None and pytest.fail(f"serve ended: {out.read_text()}{err.read_text()}")
            )
        ),
        timeout=120,
    )
    served = Served(process, data, match.group(1), err)
    wait_for("the web server to answer", lambda: get(served.url + "healthz")[0] in (200, 503), timeout=60)
    return served


def stop_serve(served: Served) -> None:
    pids = []
    status = serve_status(served.data)
    if status:
        pids = [c["pid"] for c in status["children"].values() if c["pid"]]
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            served.process.kill()
    for pid in pids:  # never leave a child behind, whatever the test did
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(served.process.pid, signal.SIGKILL)


@pytest.fixture
def served(transactional_db: Any, tmp_path: Path) -> Iterator[Served]:
    data = tmp_path / "data"
    running = start_serve(data, prepare(data))
    yield running
    stop_serve(running)


def test_a_killed_worker_is_restarted_while_the_web_server_carries_on(served: Served) -> None:
    # Generous waits for start-ups: a loaded 2-core machine takes a while to import Django twice.
    wait_for("the worker to process a heartbeat", lambda: served.healthz()[1]["worker"] == "ok", timeout=120)
    worker = served.child_pid("worker")

    os.kill(worker, signal.SIGKILL)
    wait_for(
        "serve to note the worker's death",
        lambda: served.status()["children"]["worker"]["state"] == "restarting",
        timeout=30,
        every=0.05,
    )
    # Hold serve in its two-second pause before the restart, so that a healthz request slowed by
    # a loaded machine still finds the worker down (serve's status file stays fresh for 10 s).
    os.kill(served.process.pid, signal.SIGSTOP)
    try:
        assert served.status()["children"]["worker"]["state"] == "restarting"
        code, health = wait_for(
            "healthz to report the worker down",
            lambda: (h := served.healthz())[1]["worker"] == "down" and h,
            timeout=8,
            every=0.1,
        )
    finally:
        os.kill(served.process.pid, signal.SIGCONT)
    assert code == 503 and health["worker_restarts"] == 1
    assert get(served.url + "account/sign-in/")[0] == 200  # the web app still answers
    assert served.process.poll() is None

    restarted = wait_for(
        "the worker to be restarted",
        lambda: (
            (s := served.status()["children"]["worker"])["state"] == "running" and s["pid"] != worker and s
        ),
        timeout=60,
    )
    assert restarted["restarts"] == 1 and restarted["last_exit"] == -signal.SIGKILL
    assert (
        "the task worker" in served.messages()
        and "(killed by SIGKILL); restarting it in 2 s" in served.messages()
    )
    wait_for("healthz to report the worker up", lambda: served.healthz()[1]["worker"] == "ok", timeout=120)
    assert alive(restarted["pid"])

    # The web server is the service: when it dies, serve ends with its exit code and stops the rest.
    os.kill(served.child_pid("web"), signal.SIGKILL)
    assert served.process.wait(timeout=60) == 128 + signal.SIGKILL
    assert "the web server" in served.messages() and "stopping socialguard" in served.messages()
    wait_for("the worker to be stopped too", lambda: not alive(restarted["pid"]), timeout=30)


def test_a_long_sqlite_write_neither_blocks_readers_nor_kills_the_worker(
    transactional_db: Any, tmp_path: Path
) -> None:
    if on_postgres():
        pytest.skip("SQLite's write lock")
    data = tmp_path / "data"
    env = prepare(data)
    env["SOCIALGUARD_SQLITE_BUSY_TIMEOUT"] = "1"  # the lock below outlasts every wait
    served = start_serve(data, env)
    locked = "the database is not available (database is locked)"
    try:
        # The worker must be in its polling loop before the lock is taken: on a loaded machine its
        # start (Django's imports) outlasted a fixed five-second lock, and it never met the lock.
        wait_for(
            "the worker to process a heartbeat", lambda: served.healthz()[1]["worker"] == "ok", timeout=120
        )
        worker = served.child_pid("worker")
        writer = sqlite3.connect(data / "socialguard.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long import does
        try:
            started_lock = time.monotonic()
            # At least five seconds of reads under the lock, and until the worker has met it.
            while time.monotonic() - started_lock < 5 or (
                locked not in served.messages() and time.monotonic() - started_lock < 60
            ):
                started = time.monotonic()
                code, _ = get(served.url + "account/sign-in/")
                assert code == 200 and time.monotonic() - started < 3  # readers go on (WAL)
                assert served.healthz()[1]["database"] == "ok"
                time.sleep(0.3)
        finally:
            writer.execute("COMMIT")
            writer.close()
        assert locked in served.messages()
        wait_for(
            "the worker to process a heartbeat", lambda: served.healthz()[1]["worker"] == "ok", timeout=120
        )
        status = served.status()["children"]
        assert status["worker"]["pid"] == worker and status["worker"]["restarts"] == 0
        assert served.process.poll() is None
    finally:
        stop_serve(served)
