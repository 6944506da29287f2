from __future__ import annotations

from django_tasks import task


@task()
def poll_source(*, source_id: int) -> str:
    """Poll one monitoring source (fetch → store with the cursor → check → alert)."""
    from socialguard.monitoring.models import Source
    from socialguard.monitoring.services import poll

    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return "no such enabled source"
    return str(poll(source))


@task()
def purge_monitoring() -> str:
    """Delete raw monitoring items past the retention period (data protection: kept only as
    long as needed)."""
    from socialguard.monitoring.services import purge

    deleted, blanked = purge()
    return f"{deleted} item(s) deleted, {blanked} closed alert(s) blanked"
