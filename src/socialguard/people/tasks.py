from __future__ import annotations

from django_tasks import task


@task()
def run_import(*, import_id: int) -> str:
    """Import a file uploaded on the import page (people.services.import_run)."""
    from socialguard.people.models import ImportRun, ImportState
    from socialguard.people.services import import_run

    run = ImportRun.objects.filter(pk=import_id, state=ImportState.QUEUED).first()
    if run is None:
        return "already done"
    return import_run(run).get_state_display()
