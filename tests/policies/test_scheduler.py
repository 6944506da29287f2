"""The scheduler enqueues each daily job once a day, from its hour; the digest task sends mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import LazySettings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.policies.tasks import send_daily_digests
from socialguard.scheduling.jobs import run_due
from socialguard.scheduling.models import ScheduledRun
from tests.smtp import Inbox


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 5)))


def test_jobs_run_once_a_day_after_their_hour(db: Any, settings: LazySettings) -> None:
    settings.DIGEST_HOUR = 7
    settings.AUDIT_CHECKPOINT_HOUR = 0
    day = dt.date(2026, 11, 24)
    assert run_due(_at(day, 1)) == [
        "leavers",
        "audit-checkpoint",
        "restrict-children",
        "monitoring-purge",
        "privacy-retention",
    ]  # from midnight (the purge from 01:00)
    assert run_due(_at(day, 6)) == ["audit-full-verification"]  # from 02:00
    assert run_due(_at(day, 7)) == ["daily-digests"]
    assert run_due(_at(day, 15)) == []
    assert run_due(_at(day + dt.timedelta(days=1), 8)) == [
        "daily-digests",
        "leavers",
        "audit-checkpoint",
        "restrict-children",
        "audit-full-verification",
        "monitoring-purge",
        "privacy-retention",
    ]
    assert DBTaskResult.objects.filter(task_path="socialguard.policies.tasks.send_daily_digests").count() == 2


def test_the_digest_task_sends_and_records_its_result(published: dict[str, Any], mailbox: Inbox) -> None:
    sent = send_daily_digests.call()
    assert sent == len(mailbox.messages) > 0
    assert ScheduledRun.objects.get(name="daily-digests").last_result == f"{sent} digests sent"
