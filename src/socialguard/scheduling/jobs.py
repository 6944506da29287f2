"""The daily jobs. A plain list, like a crontab: each runs once a day after its hour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socialguard.scheduling.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path to a django-tasks task
    hour: int  # local hour from which it may run each day
    description: str

    def load(self) -> Any:
        module, _, attribute = self.task.rpartition(".")
        return getattr(import_module(module), attribute)


def jobs() -> list[Job]:
    return [
        Job(
            "daily-digests",
            "socialguard.policies.tasks.send_daily_digests",
            int(getattr(settings, "DIGEST_HOUR", 7)),
            "Email each person at most one digest a day of what they owe (declarations, training, reviews)",
        ),
        Job(
            "leavers",
            "socialguard.accounts.tasks.handle_leavers",
            0,
            "Raise transfer-or-close tasks for leaving runners; withdraw access on the leave date",
        ),
        Job(
            "audit-checkpoint",
            "socialguard.audit.tasks.write_daily_checkpoint",
            int(getattr(settings, "AUDIT_CHECKPOINT_HOUR", 0)),
            "Verify the audit trail, sign its head, append it to the checkpoint file and email the auditors",
        ),
        Job(
            "restrict-children",
            "socialguard.incidents.tasks.restrict_cases_naming_children",
            0,
            "Restrict to the DSL any case that has come to name a learner under 18 (a date of birth "
            "corrected, a learner added to the register)",
        ),
        Job(
            "audit-full-verification",
            "socialguard.audit.tasks.verify_whole_trail",
            int(getattr(settings, "AUDIT_FULL_VERIFICATION_HOUR", 2)),
            "Verify the whole audit trail from its first event (the checkpoint reads only the day's)",
        ),
        Job(
            "monitoring-purge",
            "socialguard.monitoring.tasks.purge_monitoring",
            1,
            "Delete raw monitoring items past the retention period (MONITORING_RETENTION_DAYS)",
        ),
        Job(
            "privacy-retention",
            "socialguard.privacy.tasks.privacy_retention",
            0,
            "Delete recruitment screening records past their retention; list people due for erasure",
        ),
    ]


# Run on every scheduler pass (about once a minute), not once a day: safety nets for work that
# has its own time. Each returns what it enqueued; a name is reported when it enqueued anything.
FREQUENT = {
    "publish-due": "socialguard.content.publishing.enqueue_due",
    "monitoring-poll": "socialguard.monitoring.services.poll_due",
}


def _ran_today(run: ScheduledRun, today: dt.date) -> bool:
    return run.last_enqueued_at is not None and timezone.localdate(run.last_enqueued_at) >= today


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each job whose hour has come and that has not run today; returns their names."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    started = []
    for job in jobs():
        if local.hour < job.hour:
            continue
        with transaction.atomic():
            run, _ = ScheduledRun.objects.select_for_update().get_or_create(name=job.name)
            if _ran_today(run, local.date()):
                continue
            job.load().enqueue()
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
        started.append(job.name)
    for name, path in FREQUENT.items():
        module, _, attribute = path.rpartition(".")
        if getattr(import_module(module), attribute)(now):
            started.append(name)
    return started


def record_finished(name: str, result: str) -> None:
    ScheduledRun.objects.update_or_create(
        name=name, defaults={"last_finished_at": timezone.now(), "last_result": result[:2000]}
    )
