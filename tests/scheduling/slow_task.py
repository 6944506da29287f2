"""A task that takes a moment, so that several workers each get some (importable by child workers,
which run from the repository root)."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def take_a_moment(*, n: int) -> int:
    time.sleep(0.3)
    return n
