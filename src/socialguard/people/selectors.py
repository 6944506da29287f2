"""Reads of the people register. Views check the matching permission before calling these."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from socialguard.ids import parse_id
from socialguard.people.models import Guardian, Learner, Organisation, StaffMember
from socialguard.people.search import name_search


def organisation_get() -> Organisation:
    organisation = Organisation.objects.first()
    if organisation is None:
        organisation = Organisation.objects.create(name="Your organisation")
    return organisation


def staff_list(
    *, q: str = "", employment_type: str = "", department: str = "", status: str = ""
) -> QuerySet[StaffMember]:
    staff = StaffMember.objects.select_related("department", "line_manager", "user")
    staff = name_search(staff, q)
    if employment_type:
        staff = staff.filter(employment_type=employment_type)
    if department:
        # From the address bar: anything but a database id ("abc", 2**63) matches nobody
        # instead of failing in the database.
        if (department_id := parse_id(department)) is not None:
            staff = staff.filter(department_id=department_id)
        else:
            staff = staff.none()
    if status == "current":
        staff = in_post(staff)
    elif status == "left":
        staff = staff.filter(leave_date__lte=timezone.localdate())
    return staff


def in_post(staff: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
    """Those not yet past their leave date: the "staff in post" that declaration and training
    coverage count."""
    return staff.filter(Q(leave_date__isnull=True) | Q(leave_date__gt=timezone.localdate()))


def staff_names(external_ids: set[str]) -> dict[str, str]:
    """{HR id: full name} for the staff records with these ids, in one query (the audit trail
    stores staff by HR id and names them with this)."""
    rows = StaffMember.objects.filter(external_id__in=external_ids).values_list(
        "external_id", "first_name", "last_name"
    )
    return {external_id: f"{first} {last}".strip() for external_id, first, last in rows}


def learner_list(*, q: str = "", status: str = "") -> QuerySet[Learner]:
    learners = name_search(Learner.objects.all(), q)
    today = timezone.localdate()
    if status == "current":
        learners = learners.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    elif status == "past":
        learners = learners.filter(end_date__lt=today)
    elif status == "under18":
        eighteen_years_ago = (
            today.replace(year=today.year - 18)
            if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year - 18, day=28)
        )
        learners = learners.filter(date_of_birth__gt=eighteen_years_ago)
    return learners


def guardian_list(*, q: str = "") -> QuerySet[Guardian]:
    return name_search(Guardian.objects.prefetch_related("learners"), q)


def staff_in_post(today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Staff who have started and not left, as of `today`."""
    today = today or timezone.localdate()
    return (
        StaffMember.objects.exclude(leave_date__lte=today)
        .exclude(start_date__gt=today)
        .select_related("department", "line_manager", "user")
    )
