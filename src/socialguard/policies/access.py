"""Who may read which policy version. The web pages and the API ask here.

Everyone who reads the policy (`policy.view`) reads its published and retired versions. Drafts
and versions under review are for the people reviewing them (`policy.review`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from socialguard.identity import permissions
from socialguard.identity.permissions import can
from socialguard.people.models import StaffMember
from socialguard.policies.models import PolicyVersion, VersionStatus

ISSUED = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)


def versions_visible(user: Any) -> QuerySet[PolicyVersion]:
    if not can(user, "policy.view"):
        return PolicyVersion.objects.none()
    if can(user, "policy.review"):
        return PolicyVersion.objects.all()
    return PolicyVersion.objects.filter(status__in=ISSUED)


def may_manage(user: Any, version: PolicyVersion | None = None) -> bool:
    """Import, send for review, publish and retire versions: the Quality Director (3.1)."""
    return can(user, "policy.manage")


def require(actor: Any, action: str, staff: StaffMember | None = None) -> None:
    """Refuse `actor` unless they may take `action`: every service asks, so no surface (web, API,
    CLI) can skip the check. A declaration is made by the person declaring, for themselves."""
    permissions.require(actor, action)
    if action == "declarations.make" and staff is not None and staff.user_id != actor.pk:
        raise PermissionDenied("each person declares the policy for themselves")
