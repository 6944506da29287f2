"""More than one machine: several `socialguard worker`s on one database share the queue, and each
task runs once."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.processes import CLI, prepare, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ENQUEUE = """
from tests.scheduling.slow_task import take_a_moment
for n in range(16):
    take_a_moment.enqueue(n=n)
"""
STATE = """
import json
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(task_path="tests.scheduling.slow_task.take_a_moment")
print(json.dumps([[r.status, r.worker_ids, r.return_value] for r in rows]))
"""


def _shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run([*CLI, "manage", "shell", "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_two_workers_share_the_queue_and_run_each_task_once(tmp_path: Path) -> None:
    env = prepare(tmp_path / "data")
    logs = [tmp_path / f"worker{n}.log" for n in range(2)]
    workers = []
    for log in logs:
        with log.open("wb") as out:
            workers.append(
                subprocess.Popen(
                    [*CLI, "worker", "--interval", "0.1"], env=env, stdout=out, stderr=subprocess.STDOUT
                )
            )
    try:
        # Both polling before the tasks arrive: on a loaded machine one worker's start (Django's
        # imports) could outlast the whole queue, and the other would take every task.
        wait_for(
            "both workers to start",
            lambda: all("Starting worker" in log.read_text(errors="replace") for log in logs),
            timeout=120,
            every=0.2,
        )
        _shell(env, ENQUEUE)

        def finished() -> list[Any] | None:
            rows = json.loads(_shell(env, STATE))
            return rows if all(status == "SUCCESSFUL" for status, _, _ in rows) else None

        rows = wait_for("both workers to finish the queue", finished, timeout=120, every=0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    assert sorted(value for _, _, value in rows) == list(range(16))
    assert all(len(ids) == 1 for _, ids, _ in rows)  # each claimed once
    assert len({ids[0] for _, ids, _ in rows}) == 2  # and both workers took a share
