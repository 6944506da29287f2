from __future__ import annotations

from django_tasks import task

from socialguard.incidents.services import cases_restrict_naming_children
from socialguard.scheduling.jobs import record_finished


@task()
def restrict_cases_naming_children() -> str:
    """Daily: restrict cases that have come to name a learner under 18 (policy 5.2)."""
    count = cases_restrict_naming_children()
    summary = f"{count} case{'s' if count != 1 else ''} restricted"
    record_finished("restrict-children", summary)
    return summary
