from __future__ import annotations

from django_tasks import task

from socialguard.audit.services import audit_checkpoint
from socialguard.scheduling.jobs import record_finished


@task()
def write_daily_checkpoint() -> str:
    """Daily: verify the chain, sign its head, append it to the checkpoint file and email the auditors."""
    outcome = audit_checkpoint()
    summary = outcome.summary()
    record_finished("audit-checkpoint", summary)
    return summary
