"""Who may see which case, and how much of it. Every view, API operation, export, search,
notification and file download asks here; nothing else decides.

- A person involved in a case (a party to it) never sees it, except their own report as its
  reporter. This is the conflict-of-interest rule: nobody investigates or reads their own case.
- Restricted (safeguarding) cases: the DSL and deputies read them in full. SMT and the auditor
  see only that a restricted case exists (reference, dates, open or closed).
- Other cases: SMT and the auditor read them, except their safeguarding parts (restricted
  entries, files and referrals); the DSL and deputies read those with a safeguarding part.
- Whoever reported a case sees what they wrote and whether it is open or closed, nothing more.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q, QuerySet

from socialguard.identity.permissions import can, roles_of
from socialguard.identity.roles import SAFEGUARDING_ROLES, Role
from socialguard.incidents.models import Case

CASE_OBJECT_TYPE = Case._meta.label_lower  # how the audit trail names a case


class Access(enum.IntEnum):
    NONE = 0
    REPORTER = 1  # their own report and whether it is closed
    STUB = 2  # that it exists: reference, dates, open or closed
    FULL = 3  # everything they may read (safeguarding parts only for the DSL and deputies)


def reads_safeguarding(user: Any) -> bool:
    return bool(roles_of(user) & SAFEGUARDING_ROLES)


def reads_cases(user: Any) -> bool:
    """SMT and the auditor read unrestricted cases in full."""
    return bool(roles_of(user) & {Role.SMT, Role.AUDITOR})


def _involved_q(user: Any) -> Q:
    return Q(parties__staff__user=user) if user is not None and user.pk else Q(pk__in=[])


def involving(user: Any) -> QuerySet[Case]:
    """The cases `user` is a party to."""
    return Case.objects.filter(_involved_q(user))


def is_involved(user: Any, case: Case) -> bool:
    return bool(user is not None and user.pk and case.parties.filter(staff__user=user).exists())


def involved_in(user: Any, cases: Iterable[Case]) -> set[int]:
    """The ids among `cases` that `user` is a party to, in one query: for a list, where asking
    `is_involved` per row cost a query per case."""
    if user is None or not user.pk:
        return set()
    pks = [c.pk for c in cases]
    return set(Case.objects.filter(_involved_q(user), pk__in=pks).values_list("pk", flat=True))


def access(user: Any, case: Case, *, involved: bool | None = None) -> Access:
    """`involved`: whether `user` is a party to `case`, where the caller has read it for a whole
    list (`involved_in`); otherwise it is asked here."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Access.NONE
    reporter = Access.REPORTER if case.reporter_id == user.pk else Access.NONE
    if involved is None:
        involved = is_involved(user, case)
    if involved or not can(user, "cases.view"):
        return reporter
    if case.restricted:
        return Access.FULL if reads_safeguarding(user) else max(Access.STUB, reporter)
    if reads_cases(user) or (reads_safeguarding(user) and case.safeguarding_part):
        return Access.FULL
    return max(Access.STUB, reporter)


def access_levels(user: Any, cases: Iterable[Case]) -> dict[int, Access]:
    """`access` for many cases at once, with one query (which of them name the person) instead of
    one per case: a list page asks for fifty rows, the API and the export for every case."""
    cases = list(cases)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {c.pk: Access.NONE for c in cases}
    involved = set(
        Case.objects.filter(_involved_q(user), pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    viewer, safeguarding, reader = can(user, "cases.view"), reads_safeguarding(user), reads_cases(user)
    levels = {}
    for case in cases:
        reporter = Access.REPORTER if case.reporter_id == user.pk else Access.NONE
        if case.pk in involved or not viewer:
            level = reporter
        elif case.restricted:
            level = Access.FULL if safeguarding else max(Access.STUB, reporter)
        elif reader or (safeguarding and case.safeguarding_part):
            level = Access.FULL
        else:
            level = max(Access.STUB, reporter)
        levels[case.pk] = level
    return levels


def listed(user: Any) -> QuerySet[Case]:
    """The cases a person's list shows (each in the detail `access` allows)."""
    if not can(user, "cases.view"):
        return Case.objects.filter(reporter=user)
    involved = Case.objects.filter(_involved_q(user)).values("pk")
    return Case.objects.filter(~Q(pk__in=involved) | Q(reporter=user))


def readable(user: Any) -> QuerySet[Case]:
    """The cases a person reads in full: the only ones search looks into."""
    if not can(user, "cases.view"):
        return Case.objects.none()
    full = Q(pk__in=[])
    if reads_safeguarding(user):
        full |= Q(restricted=True) | Q(safeguarding_part=True)
    if reads_cases(user):
        full |= Q(restricted=False)
    involved = Case.objects.filter(_involved_q(user)).values("pk")
    return Case.objects.filter(full).exclude(pk__in=involved)


def may_manage(user: Any, case: Case) -> bool:
    """Triage and investigate: SMT for ordinary cases, the DSL and deputies for restricted ones
    (and for the safeguarding parts of any case they can read)."""
    if not can(user, "cases.manage") or access(user, case) != Access.FULL:
        return False
    if case.restricted:
        return reads_safeguarding(user)
    return Role.SMT in roles_of(user) or reads_safeguarding(user)


def manageable(user: Any) -> QuerySet[Case]:
    """The cases `may_manage` allows, as one query: the home page and the digest count them
    without asking about each case in turn."""
    if not can(user, "cases.manage"):
        return Case.objects.none()
    cases = readable(user)
    if not reads_safeguarding(user):
        # Restricted cases are the DSL's; others are SMT's (and the DSL's where they read them).
        cases = cases.filter(restricted=False) if Role.SMT in roles_of(user) else cases.none()
    return cases


def may_read_restricted_parts(user: Any, case: Case) -> bool:
    return access(user, case) == Access.FULL and reads_safeguarding(user)


def case_events_withheld_from(user: Any) -> Callable[[str, str], bool] | None:
    """For the audit trail (audit.selectors.WITHHOLDERS): the events of restricted cases, whose
    details (category, severity, investigator, referrals, outcome, and a retention date that gives
    away a child's date of birth) only the DSL and deputies may read. None for them."""
    if reads_safeguarding(user):
        return None
    restricted = {str(pk) for pk in Case.objects.filter(restricted=True).values_list("pk", flat=True)}
    return lambda object_type, object_id: object_type == CASE_OBJECT_TYPE and object_id in restricted
