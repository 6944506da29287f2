"""Who may look up which people, and how much of them. The web pages, the API and the CLI ask
here.

The full staff register (contact details, employment, line manager) is for `staff.view`. Anyone
who may propose an account must name its runners, so they get the staff directory: the staff in
post, each with only a name, a department and the staff ID that the API and the CLI take. It is
exactly the list the web's proposal form offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from socialguard.identity import permissions
from socialguard.identity.permissions import can
from socialguard.people.models import StaffMember
from socialguard.people.selectors import staff_in_post

DIRECTORY_ACTION = "staff.directory"  # held by exactly those who may propose an account


@dataclass(frozen=True)
class DirectoryEntry:
    staff_id: str
    name: str
    department: str


def may_use_directory(user: Any) -> bool:
    return can(user, DIRECTORY_ACTION)


def in_directory() -> QuerySet[StaffMember]:
    """The directory's people, for a caller that has already checked `may_use_directory`."""
    return staff_in_post().order_by("last_name", "first_name", "pk")


def directory(user: Any, q: str = "") -> QuerySet[StaffMember]:
    """The staff in post that `user` may name, matched by name or staff ID (never by email,
    which the directory does not reveal)."""
    if not may_use_directory(user):
        return StaffMember.objects.none()
    people = in_directory()
    for word in q.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(external_id__iexact=word)
        )
    return people


def directory_entry(member: StaffMember) -> DirectoryEntry:
    return DirectoryEntry(
        staff_id=member.external_id,
        name=member.full_name,
        department=member.department.name if member.department else "",
    )


# --- Who may change the register: every service asks, so no surface can skip the check -------

# The kind of record a person saves → the action it needs.
SAVE_ACTIONS = {"staff": "staff.manage", "learners": "learners.manage", "guardians": "learners.manage"}


def require(actor: Any, action: str, kind: str | None = None) -> None:
    """Refuse `actor` unless they may take `action`; `people.save` asks for the kind saved.

    `actor` None is the system itself (the daily jobs, a bulk load run by the operator in code):
    the web, the API and the CLI always act as a signed-in person (`clitools.acting_user`)."""
    if actor is None:
        return
    if action == "people.save":
        action = SAVE_ACTIONS.get(kind or "", "staff.manage")
    permissions.require(actor, action)
