"""What each person must do next. Later features add their own items through `ITEM_SOURCES`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.audit.models import VerificationScope
from socialguard.audit.selectors import events_since_checkpoint, latest_verification
from socialguard.identity.permissions import can, needs_two_factor, roles_of
from socialguard.identity.roles import Role
from socialguard.identity.selectors import two_factor_changes
from socialguard.people.models import StaffMember
from socialguard.policies.reminders import reminders_for, sort_key


@dataclass(frozen=True)
class HomeItem:
    title: str
    detail: str
    url: str
    urgency: str = "info"  # info | due | overdue
    mine: bool = True  # False: someone else's job, shown for oversight after the person's own


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


def _two_factor_change_items(user: Any) -> list[HomeItem]:
    """For SMT: each recent authenticator change, so one its owner did not make gets noticed."""
    items = []
    for event in two_factor_changes(viewer=user):
        when = timezone.localtime(event.at).strftime("%-d %b %Y, %H:%M")
        # The viewer's own change is told to them as theirs: "If they did not…" makes no sense there.
        own = event.object_id == str(user.pk)
        if event.action == "user.two_factor_reset":
            who = (
                "You"
                if event.actor == user
                else (str(event.actor) if event.actor is not None else event.actor_label)
            )
            whose = "your" if own else f"{event.object_repr}'s"
            title = f"{who} reset {whose} authenticator"
            detail = f"{when}. {'You set' if own else 'They set'} up a new one at the next sign-in."
            urgency = "info"
        elif own:
            done = "replaced your" if event.after.get("replaced") else "set up an"
            title = f"You {done} authenticator"
            # Their own sign-in's page lets them change nothing (another SMT member must): the one
            # thing they can do, if it was not them, is change the password, so the item goes there.
            detail = (
                f"{when}. Nothing to do if this was you. If it was not, change your password now "
                "and ask another SMT member to reset your authenticator."
            )
            items.append(HomeItem(title, detail, reverse("identity:password_change"), "info"))
            continue
        elif event.after.get("replaced"):
            title = f"{event.object_repr} replaced their authenticator"
            detail = f"{when}. If they did not, reset it and ask them to change their password."
            urgency = "due"
        else:
            title = f"{event.object_repr} set up an authenticator"
            detail = f"{when}. If they did not, reset it and ask them to change their password."
            urgency = "info"
        url = (
            reverse("people:sign_in_edit", args=[event.object_id])
            if event.object_id.isdigit()
            else reverse("people:sign_ins")
        )
        items.append(HomeItem(title, detail, url, urgency))
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
    # The stored outcome of the latest check (the daily job's, the nightly whole-trail read or a
    # person's): reading a million events here would time the page out.
    # Each scope's latest counts: a quick check since the checkpoint cannot clear a break that only
    # the whole-trail read can see.
    for scope in VerificationScope.values:
        latest = latest_verification(scope=scope)
        if latest is not None and not latest.intact:
            return [
                HomeItem(
                    "The audit trail has been tampered with",
                    latest.problem,
                    reverse("audit:verify"),
                    "overdue",
                )
            ]
    return []


def _auditor_items(user: Any) -> list[HomeItem]:
    """An auditor's standing task: check the trail, with how much is new since it was last signed."""
    if Role.AUDITOR not in roles_of(user):
        return []
    count, latest = events_since_checkpoint(viewer=user)
    if count <= 0:
        return []
    since = f"the checkpoint of {latest.at[:10]}" if latest else "it began, with no checkpoint yet"
    return [
        HomeItem(
            "Check that no recorded change was altered",
            f"{count} event{'s' if count != 1 else ''} in the audit trail since {since}. "
            "Verifying takes a second.",
            reverse("audit:verify"),
            "due",
        )
    ]


def _policy_items(user: Any) -> list[HomeItem]:
    """Declarations owed, training due, reviews due and escalations: the same list the digest sends."""
    return [HomeItem(r.title, r.detail, r.url, r.urgency, r.mine) for r in reminders_for(user)]


ITEM_SOURCES: list[Callable[[Any], list[HomeItem]]] = [
    _audit_items,
    _auditor_items,
    _policy_items,
    _register_items,
    _security_items,
    _two_factor_change_items,
]


def home_items(user: Any) -> list[HomeItem]:
    items = [item for source in ITEM_SOURCES for item in source(user)]
    return sorted(items, key=lambda i: sort_key(i.urgency, i.mine))
