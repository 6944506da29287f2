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

from socialguard.accounts.access import runner_places
from socialguard.accounts.models import AccountRunner
from socialguard.identity.models import User
from socialguard.identity.permissions import ACTIONS, can
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
    allowed |= Q(kind__in=OWN_KINDS, account_id__in=runner_places(user).values("account_id"))
    return Alert.objects.filter(allowed)


def who_may_see(alert: Alert) -> QuerySet[User]:
    """The active people who may see `alert`, in one query however many there are: the same
    rules as alerts_visible, read from the other side (for the assign picker)."""

    def holding(action: str) -> Q:
        return Q(role_assignments__role__in=list(ACTIONS[action].roles))

    if alert.kind == AlertKind.SAFEGUARDING:
        allowed = holding("safeguarding.view")
    else:
        allowed = holding("monitoring.manage")
    if alert.kind in OWN_KINDS and alert.account_id is not None:
        today = timezone.localdate()
        runners = AccountRunner.objects.filter(account_id=alert.account_id, active=True).filter(
            Q(staff__leave_date__isnull=True) | Q(staff__leave_date__gt=today)
        )
        allowed |= Q(pk__in=runners.values("staff__user"))
    viewers = User.objects.filter(
        is_active=True, role_assignments__role__in=list(ACTIONS["monitoring.view"].roles)
    )
    return User.objects.filter(pk__in=viewers.values("pk")).filter(
        pk__in=User.objects.filter(allowed).values("pk")
    )


def may_see(user: Any, alert: Alert) -> bool:
    return alerts_visible(user).filter(pk=alert.pk).exists()


def may_triage(user: Any, alert: Alert) -> bool:
    return can(user, "monitoring.triage") and may_see(user, alert)


ALERT_OBJECT_TYPE = "monitoring.alert"


def safeguarding_alert_events_withheld_from(user: Any) -> Any:
    """For the audit trail (audit.selectors.WITHHOLDERS): the details of events on safeguarding
    alerts (which learner, the restricted case an alert became) are for those who see such
    alerts; SMT and the auditor, who read the trail, see only that something happened. None for
    the safeguarding team."""
    if can(user, "safeguarding.view"):
        return None
    hidden = safeguarding_alert_ids()
    return lambda object_type, object_id: object_type == ALERT_OBJECT_TYPE and object_id in hidden


def safeguarding_alert_ids() -> set[str]:
    """The safeguarding alerts' ids, as the audit trail records them."""
    return {str(pk) for pk in Alert.objects.filter(kind=AlertKind.SAFEGUARDING).values_list("pk", flat=True)}
