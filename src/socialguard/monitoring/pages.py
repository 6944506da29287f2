"""Home-page and digest items: new alerts waiting for this person, and failing sources for SMT."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from socialguard.monitoring import access
from socialguard.monitoring.models import OPEN_STATES, AlertKind, AlertState, Health, Source
from socialguard.policies.reminders import Reminder


def reminders(user: Any) -> list[Reminder]:
    items: list[Reminder] = []
    if not getattr(user, "is_authenticated", False):
        return items
    visible = access.alerts_visible(user)
    # One query for the count and whether any is urgent (it was four).
    new = Q(state=AlertState.NEW)
    figures = visible.filter(new | Q(state=AlertState.ASSIGNED, assignee=user)).aggregate(
        n=Count("pk"),
        urgent=Count("pk", filter=new & Q(kind__in=[AlertKind.SAFEGUARDING, AlertKind.UNAPPROVED_POST])),
    )
    n, urgent = figures["n"], bool(figures["urgent"])
    if n:
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
