"""Who may read and change the consent register; the web pages, the API and the CLI ask here.

Learner consent is personal data about people who are often children: SMT and the DSL (and
deputies) read the register, and so do the current runners of an organisational account (they
decide what to photograph). Everyone else who drafts posts sees only "may be posted: yes/no" for
the people they pick. SMT and the DSL record consent and withdrawals; SMT import from the MIS.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from socialguard.accounts.access import is_senior, runner_places, runs_account
from socialguard.accounts.models import AccountRunner
from socialguard.consent.models import Takedown
from socialguard.identity.permissions import can
from socialguard.people.models import StaffMember

VIEW, COVERAGE, MANAGE, IMPORT, TAKEDOWN = (
    "consent.view", "consent.coverage", "consent.manage", "consent.import", "consent.takedown",
)  # fmt: skip


def _staff(user: Any) -> StaffMember | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return StaffMember.objects.filter(user=user).first()


def is_runner(user: Any) -> bool:
    me = _staff(user)
    return me is not None and not me.has_left and AccountRunner.objects.filter(staff=me, active=True).exists()


def may_view(user: Any) -> bool:
    """The full register (status, who gave it, evidence, history): SMT, the DSL and deputies,
    and the current runners of an account."""
    return can(user, COVERAGE) or (can(user, VIEW) and is_runner(user))


def may_manage(user: Any) -> bool:
    return can(user, MANAGE)


def may_import(user: Any) -> bool:
    return can(user, IMPORT)


def may_confirm_takedown(user: Any, account: Any) -> bool:
    return can(user, TAKEDOWN) and (is_senior(user) or runs_account(user, account))


def confirmable(user: Any, takedowns: QuerySet[Takedown]) -> QuerySet[Takedown]:
    """Those of `takedowns` that `may_confirm_takedown` allows `user`, in one query (the home
    page asked about each one's account)."""
    if not can(user, TAKEDOWN):
        return takedowns.none()
    if is_senior(user):
        return takedowns
    return takedowns.filter(account_id__in=runner_places(user).values("account_id"))
