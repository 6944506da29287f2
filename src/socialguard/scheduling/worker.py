"""The background-task worker: django-tasks-db's worker, kept alive while the database is busy.

On SQLite a long write elsewhere (a big `socialguard import`) holds the write lock longer than
a connection waits for it; the stock worker then died with "database is locked". On PostgreSQL
a restart of the server drops its connection the same way. Both pass: wait, log, try again.
"""

from __future__ import annotations

import logging
import time

from django.db import OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker as DBWorker

logger = logging.getLogger("socialguard.worker")
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 15.0


class Worker(DBWorker):
    def run(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not self.running:
                    raise
                logger.warning("the database is not available (%s); trying again in %.0f s", exc, delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, LONGEST_RETRY_SECONDS)


def run_worker(*, queue_names: list[str], interval: float, worker_id: str) -> None:
    worker = Worker(
        queue_names=queue_names,
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
