"""Home-page and digest items for the consent register: consent due to lapse (SMT) and
takedowns waiting for a runner."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from socialguard.consent import access
from socialguard.consent.models import Takedown, TakedownState
from socialguard.consent.selectors import LAPSE_WARNING_DAYS, lapsing
from socialguard.identity.permissions import can
from socialguard.policies.reminders import Reminder


def reminders(user: Any) -> list[Reminder]:
    items: list[Reminder] = []
    if not getattr(user, "is_authenticated", False):
        return items
    if can(user, "consent.import"):  # SMT
        due = lapsing()
        if due:
            first = due[0]
            items.append(
                Reminder(
                    f"consent.lapsing.{first.learner.external_id}.{first.on.isoformat()}.{len(due)}",
                    f"Photo consent for {len(due)} learner{'s' if len(due) != 1 else ''} lapses "
                    f"in the next {LAPSE_WARNING_DAYS} days",
                    f"First: {first.learner.full_name} on {first.on:%d %B %Y} ({first.why}).",
                    reverse("consent:coverage"),
                    "due",
                )
            )
    waiting = Takedown.objects.filter(
        state__in=(TakedownState.OPEN, TakedownState.FAILED), post__isnull=False
    )
    n = access.confirmable(user, waiting).count()
    if n:
        items.append(
            Reminder(
                f"consent.takedowns.{user.pk}.{n}",
                f"{n} post{'s' if n != 1 else ''} to take down: consent withdrawn",
                "Someone shown in them withdrew their consent. Confirm to delete each post.",
                reverse("consent:takedowns"),
                "overdue",
            )
        )
    return items
