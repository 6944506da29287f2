"""The whole demo: the organisation and its people, then its policy, declarations and training."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import timezone

STEPS = 16


def load_all(progress: Callable[[], object] = lambda: None) -> None:
    """Load every part in one transaction: an interrupted load (Ctrl+C, an error) leaves nothing
    behind, so the next `socialguard demo` starts afresh instead of finding half an organisation."""
    from django.db import transaction

    from socialguard.accounts.demo import load_accounts_demo
    from socialguard.content.demo import load_content_demo
    from socialguard.incidents.demo import load_cases_demo
    from socialguard.people.demo import load_demo
    from socialguard.policies.demo import load_policy_demo
    from socialguard.privacy.demo import load_privacy_demo

    with transaction.atomic():
        load_demo(progress=progress)  # 4 steps
        load_policy_demo(progress=progress)  # 3 steps
        load_accounts_demo(progress=progress)  # 2 steps
        load_cases_demo(progress=progress)  # 3 steps
        load_content_demo(progress=progress)  # 3 steps
        load_privacy_demo(progress=progress)  # 1 step


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
