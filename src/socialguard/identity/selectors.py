"""Reads about sign-ins, scoped to the person reading."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.identity.permissions import can

TWO_FACTOR_ACTIONS = ("user.two_factor_enrolled", "user.two_factor_reset")
# Long enough to be seen by SMT members who sign in weekly; the audit trail keeps them for good.
TWO_FACTOR_CHANGES_DAYS = 14


def two_factor_changes(*, viewer: Any, limit: int = 20) -> list[AuditEvent]:
    """Recent authenticator enrolments, replacements and resets, for those who manage sign-ins:
    an enrolment its owner did not make is how a stolen password shows itself."""
    if not can(viewer, "users.manage"):
        return []
    since = timezone.now() - dt.timedelta(days=TWO_FACTOR_CHANGES_DAYS)
    events = AuditEvent.objects.filter(
        action__in=TWO_FACTOR_ACTIONS, at__gte=since, object_type="identity.user"
    )
    return list(events.select_related("actor").order_by("-seq")[:limit])
