from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from socialguard.privacy import selectors, services
from socialguard.scheduling.jobs import record_finished


@task()
def privacy_retention() -> str:
    """Daily: delete recruitment screening records past their retention; list people due for
    erasure (erasing them is an SMT decision, on the retention page)."""
    deleted = services.screenings_expire(today=timezone.localdate())
    due = selectors.retention_due()
    held = sum(1 for row in due if row.holds)
    summary = (
        f"{deleted} recruitment record{'s' if deleted != 1 else ''} deleted; "
        f"{len(due)} people due for erasure ({held} under a legal hold)"
    )
    record_finished("privacy-retention", summary)
    return summary
