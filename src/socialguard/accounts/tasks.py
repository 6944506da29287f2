from __future__ import annotations

from django_tasks import task

from socialguard.accounts.lifecycle import leavers_scan, tasks_refresh
from socialguard.scheduling.jobs import record_finished


@task()
def handle_leavers() -> int:
    """Daily: leaver tasks raised, access withdrawn on the leave date, finished tasks closed."""
    raised = leavers_scan()
    closed = tasks_refresh()
    record_finished("leavers", f"{len(raised)} task(s) raised, {closed} closed")
    return len(raised)
