"""Run queued tasks in the test's own process and database, as `socialguard worker` would."""

from __future__ import annotations

from typing import Any

from django_tasks_db.models import DBTaskResult


def run_due_tasks(*, only: str = "") -> list[Any]:
    """Run every task that is due (ready and past its run_after), oldest first, including those the
    tasks themselves enqueue; returns their results. `only`: a task path prefix."""
    results = []
    for _ in range(1000):
        row = DBTaskResult.objects.ready().filter(task_path__startswith=only).order_by("enqueued_at").first()
        if row is None:
            return results
        row.claim("tests")
        try:
            value = row.task.call(*row.task_result.args, **row.task_result.kwargs)
        except BaseException as exc:
            row.set_failed(exc)
            raise
        row.set_successful(value)
        results.append(value)
    raise AssertionError("tasks keep enqueueing tasks")
