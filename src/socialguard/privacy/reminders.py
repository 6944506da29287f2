"""Home page and digest items: your privacy review is due; an exception waits for approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from socialguard.identity.permissions import can
from socialguard.policies.reminders import Reminder
from socialguard.privacy import selectors
from socialguard.privacy.models import ScreeningRecord, ScreeningStatus

FIRST_REVIEW_GRACE_DAYS = 30


def reminders(user: Any) -> list[Reminder]:
    items = []
    staff = selectors.my_staff_record(user) if can(user, "privacy.review") else None
    if staff is not None and not staff.has_left:
        due = selectors.review_due_on(staff)
        today = timezone.localdate()
        # A first review is due a month after the sign-in was made, like training's grace period,
        # so a new installation does not email everyone on its first morning.
        first = due is None
        due = due or timezone.localdate(user.date_joined) + dt.timedelta(days=FIRST_REVIEW_GRACE_DAYS)
        if due <= today:
            items.append(
                Reminder(
                    f"privacy-review:{'first' if first else due}",
                    "Review your personal accounts' privacy",
                    "A few minutes on your phone: privacy settings, tagging, location, who sees your "
                    "friends, and a check of your connections (5.2).",
                    reverse("privacy:index"),
                    "due" if (today - due).days < 30 else "overdue",
                )
            )
    if can(user, "recruitment.screen"):
        waiting = ScreeningRecord.objects.filter(status=ScreeningStatus.AWAITING_EXCEPTION).exclude(
            recorded_by=user
        )
        for record in waiting.order_by("created_at")[:5]:
            items.append(
                Reminder(
                    f"screening-exception:{record.pk}",
                    "A recruitment check beyond LinkedIn needs your approval",
                    f"For the role {record.role_applied_for}: approve or not (5.3).",
                    reverse("privacy:screening", args=[record.pk]),
                    "due",
                )
            )
    return items
