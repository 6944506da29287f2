"""Home-page and digest items: new alerts waiting for this person, and failing sources for SMT."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from socialguard.monitoring import access
from socialguard.monitoring.models import OPEN_STATES, AlertKind, AlertState, Health, Source
from socialguard.policies.reminders import Reminder


def reminders(user: Any) -> list[Reminder]:
    items: list[Reminder] = []
    if not getattr(user, "is_authenticated", False):
        return items
    visible = access.alerts_visible(user)
    new = visible.filter(state=AlertState.NEW)
    mine = visible.filter(state=AlertState.ASSIGNED, assignee=user)
    n = new.count() + mine.count()
    if n:
        urgent = (
            new.filter(kind=AlertKind.SAFEGUARDING).exists()
            or new.filter(kind=AlertKind.UNAPPROVED_POST).exists()
        )
        items.append(
            Reminder(
                f"monitoring.alerts.{user.pk}",
                f"{n} monitoring alert{'s' if n != 1 else ''} to look at",
                "Dismiss with a reason, assign, respond (SMT) or turn into a case.",
                reverse("monitoring:alerts") + "?state=open",
                "overdue" if urgent else "due",
            )
        )
    if access.is_senior(user):
        failing = (
            Source.objects.filter(enabled=True).filter(Q(health=Health.FAILING) | ~Q(warning="")).count()
        )
        if failing:
            items.append(
                Reminder(
                    f"monitoring.failing.{user.pk}",
                    f"{failing} monitoring source{'s' if failing != 1 else ''} failing or needing attention",
                    "Open the sources page to see why; polling tries again with longer waits.",
                    reverse("monitoring:sources"),
                    "due",
                )
            )
    return items


__all__ = ["OPEN_STATES", "reminders"]
