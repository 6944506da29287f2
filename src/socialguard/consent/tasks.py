from __future__ import annotations

from django_tasks import task


@task()
def takedown_delete(*, takedown_id: int) -> str:
    """Delete a withdrawn person's post on the platform, after a runner confirmed the takedown."""
    from socialguard.consent.services import delete_on_platform

    return delete_on_platform(takedown_id)
