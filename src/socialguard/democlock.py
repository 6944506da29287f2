"""The demo's clock: each app's demo writes its history on its own dates through the services.
Apart from `socialguard.demo` (which loads every app's demo) so that apps need not import it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def clock_at(when: dt.datetime) -> Iterator[None]:
    """Demo only: while loading, the services stamp records *and* their audit events with `when`.
    Backdating a declaration afterwards would make it differ from its audit event (which records
    `declared_at`), so the demo's history is written as if it happened on its dates instead."""
    real = timezone.now
    setattr(timezone, "now", lambda: when)  # noqa: B010 - one attribute swap, restored below
    try:
        yield
    finally:
        setattr(timezone, "now", real)  # noqa: B010
