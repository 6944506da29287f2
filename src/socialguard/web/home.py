"""What each person must do next. Later features add their own items through `ITEM_SOURCES`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.selectors import audit_verify
from socialguard.identity.permissions import can, needs_two_factor
from socialguard.people.models import StaffMember
from socialguard.policies.reminders import reminders_for


@dataclass(frozen=True)
class HomeItem:
    title: str
    detail: str
    url: str
    urgency: str = "info"  # info | due | overdue


def _security_items(user: Any) -> list[HomeItem]:
    items = []
    if not needs_two_factor(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        items.append(
            HomeItem(
                "Consider two-factor sign-in",
                "An authenticator app protects your account if your password leaks.",
                reverse("identity:two_factor_setup"),
            )
        )
    return items


def _register_items(user: Any) -> list[HomeItem]:
    items = []
    if can(user, "staff.manage"):
        without_manager = StaffMember.objects.filter(
            line_manager__isnull=True, leave_date__isnull=True
        ).count()
        if StaffMember.objects.count() == 0:
            items.append(
                HomeItem(
                    "Import your staff",
                    "Upload a CSV export from your HR system.",
                    reverse("people:import"),
                    "due",
                )
            )
        elif without_manager > 3:
            items.append(
                HomeItem(
                    f"{without_manager} staff have no line manager",
                    "Reminders escalate to line managers, so record them.",
                    reverse("people:staff_list"),
                    "info",
                )
            )
    return items


def _audit_items(user: Any) -> list[HomeItem]:
    if not can(user, "audit.verify"):
        return []
    result = audit_verify()
    if result.ok:
        return []
    return [
        HomeItem(
            "The audit trail has been tampered with", str(result.problem), reverse("audit:verify"), "overdue"
        )
    ]


def _policy_items(user: Any) -> list[HomeItem]:
    """Declarations owed, training due, reviews due and escalations: the same list the digest sends."""
    return [HomeItem(r.title, r.detail, r.url, r.urgency) for r in reminders_for(user)]


ITEM_SOURCES: list[Callable[[Any], list[HomeItem]]] = [
    _audit_items,
    _policy_items,
    _register_items,
    _security_items,
]


def home_items(user: Any) -> list[HomeItem]:
    order = {"overdue": 0, "due": 1, "info": 2}
    items = [item for source in ITEM_SOURCES for item in source(user)]
    return sorted(items, key=lambda i: order[i.urgency])
