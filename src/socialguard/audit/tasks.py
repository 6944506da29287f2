from __future__ import annotations

from django_tasks import task

from socialguard.audit.models import AuditVerification, VerificationScope
from socialguard.audit.services import audit_checkpoint, verification_run
from socialguard.scheduling.jobs import record_finished


@task()
def write_daily_checkpoint() -> str:
    """Daily: verify the chain, sign its head, append it to the checkpoint file and email the auditors."""
    outcome = audit_checkpoint()
    summary = outcome.summary()
    record_finished("audit-checkpoint", summary)
    return summary


@task()
def verify_whole_trail(verification_id: int | None = None) -> str:
    """Read the whole chain from its first event: asked for on the verify page, and daily, since the
    daily checkpoint reads only the events after the previous one."""
    verification = None
    if verification_id is not None:
        verification = AuditVerification.objects.filter(pk=verification_id, finished_at__isnull=True).first()
        if verification is None:
            return "already done"
    outcome = verification_run(scope=VerificationScope.FULL, verification=verification)
    summary = (
        f"whole trail intact ({outcome.result.checked} events)"
        if outcome.result.ok
        else f"whole trail BROKEN: {outcome.result.problem}"
    )
    if verification_id is None:
        record_finished("audit-full-verification", summary)
    return summary
