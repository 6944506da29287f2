"""Monitoring's reads for the pages, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from socialguard.identity.models import User
from socialguard.monitoring import access
from socialguard.monitoring.models import OPEN_STATES, Alert, Source


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
    return Source.objects.select_related("account").order_by("name", "pk")


def assignees(alert: Alert) -> list[User]:
    """Who an alert may be assigned to: active people who may see it."""
    people = User.objects.filter(is_active=True).order_by("email")
    return [u for u in people if access.may_see(u, alert)]
