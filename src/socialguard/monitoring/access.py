"""Who sees and acts on which alert (the web pages, the API and the CLI all ask here):

- a learner named with a risk (safeguarding): the DSL and deputies only (policy 5.2), not SMT;
- an organisational account's own post: that account's current runners and SMT (3.2);
- adverse criticism, look-alike accounts and other findings in mentions: SMT (4.2, 5.1).
Sources and their settings: SMT.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from socialguard.accounts.models import AccountRunner
from socialguard.identity.permissions import can
from socialguard.monitoring.models import Alert, AlertKind

OWN_KINDS = (AlertKind.UNAPPROVED_POST, AlertKind.OWN_FINDING)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_senior(user: Any) -> bool:
    return can(user, "monitoring.manage")


def alerts_visible(user: Any) -> QuerySet[Alert]:
    if not _signed_in(user) or not can(user, "monitoring.view"):
        return Alert.objects.none()
    allowed = Q(pk__in=[])
    if can(user, "safeguarding.view"):
        allowed |= Q(kind=AlertKind.SAFEGUARDING)
    if is_senior(user):
        allowed |= ~Q(kind=AlertKind.SAFEGUARDING)
    today = timezone.localdate()
    runs = AccountRunner.objects.filter(staff__user=user, active=True).filter(
        Q(staff__leave_date__isnull=True) | Q(staff__leave_date__gt=today)
    )
    allowed |= Q(kind__in=OWN_KINDS, account_id__in=runs.values("account_id"))
    return Alert.objects.filter(allowed)


def may_see(user: Any, alert: Alert) -> bool:
    return alerts_visible(user).filter(pk=alert.pk).exists()


def may_triage(user: Any, alert: Alert) -> bool:
    return can(user, "monitoring.triage") and may_see(user, alert)
