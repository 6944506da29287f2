from __future__ import annotations

from django_tasks import task

from socialguard.policies.reminders import send_digests
from socialguard.scheduling.jobs import record_finished


@task()
def send_daily_digests() -> int:
    """Run once a day by the scheduler: at most one reminder digest per person."""
    sent = send_digests()
    record_finished("daily-digests", f"{sent} digest{'s' if sent != 1 else ''} sent")
    return sent
