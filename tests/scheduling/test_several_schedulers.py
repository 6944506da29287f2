"""More than one machine: schedulers started on several machines at once enqueue each day's job
once (the row lock on ScheduledRun; a lost post enqueued twice by the publishing safety net is
harmless, content.publishing's record key makes the second run a no-op)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.processes import CLI, on_postgres, prepare

pytestmark = pytest.mark.django_db(transaction=True)

COUNT = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
from socialguard.scheduling.models import ScheduledRun
print(json.dumps({
    "tasks": Counter(DBTaskResult.objects.values_list("task_path", flat=True)),
    "runs": list(ScheduledRun.objects.values_list("name", flat=True)),
}))
"""


def _together(env: dict[str, str], n: int) -> None:
    children = [
        subprocess.Popen(
            [*CLI, "scheduler", "--once"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(n)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, (out + err).decode()


def test_four_schedulers_started_at_once_enqueue_each_job_once(tmp_path: Path) -> None:
    from socialguard.scheduling.jobs import jobs

    env = prepare(tmp_path / "data")
    for _ in range(3):  # the first pass races to create the rows; later ones race on them
        _together(env, 4)
    counted = subprocess.run(
        [*CLI, "manage", "shell", "-c", COUNT], env=env, capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(counted.stdout.strip().splitlines()[-1])
    daily = {job.task for job in jobs()}
    assert {path: n for path, n in found["tasks"].items() if path in daily and n != 1} == {}
    midnight = {job.task for job in jobs() if job.hour == 0}
    assert midnight <= set(found["tasks"])  # due at any hour of the day the test runs
    assert sorted(found["runs"]) == sorted(set(found["runs"]))
    assert on_postgres() or (tmp_path / "data" / "socialguard.sqlite3").exists()
