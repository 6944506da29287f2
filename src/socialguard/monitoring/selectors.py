"""Monitoring's reads for the pages, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from socialguard.identity.models import User
from socialguard.monitoring import access
from socialguard.monitoring.models import OPEN_STATES, Alert, Health, Source


def alerts_for(user: Any, *, state: str = "open", kind: str = "") -> QuerySet[Alert]:
    alerts = access.alerts_visible(user).select_related("account", "assignee", "case", "reply_draft")
    if state == "open":
        alerts = alerts.filter(state__in=OPEN_STATES)
    elif state and state != "all":
        alerts = alerts.filter(state=state)
    if kind:
        alerts = alerts.filter(kind=kind)
    return alerts.order_by("-created_at", "-pk")


def sources() -> QuerySet[Source]:
    """Those that need someone first (failing, or with a warning), then by name."""
    attention = Case(
        When(Q(enabled=True) & (Q(health=Health.FAILING) | ~Q(warning="")), then=Value(0)), default=Value(1)
    )
    return Source.objects.select_related("account").order_by(attention, "name", "pk")


def assignees(alert: Alert) -> list[User]:
    """Who an alert may be assigned to: active people who may see it."""
    return list(access.who_may_see(alert).order_by("email"))
