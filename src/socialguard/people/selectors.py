"""Reads of the people register. Views check the matching permission before calling these."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

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
        if department.isascii() and department.isdigit() and int(department) < 2**63:
            staff = staff.filter(department_id=int(department))
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


def policy_context(pack: Any = None) -> Any:
    """The rules engine's context from the register: organisation names and handles, staff names,
    learners (current and past) and guardians with their handles, with the organisation's rules
    pack (policies.packs.rules_pack) or the one given."""
    from socialguard.policies.packs import rules_pack
    from socialguard.rules.model import PolicyContext, RegisterPerson

    if pack is None:
        pack, _ = rules_pack()
    organisation = organisation_get()
    today = timezone.localdate()
    register = [
        RegisterPerson(
            learner.full_name,
            tuple(learner.social_handles.split()),
            "past_learner" if learner.end_date and learner.end_date < today else "learner",
            # 5.2 forbids connecting with past learners under 18 only; unknown birth date = maybe under 18.
            adult=(learner.age_on(today) or 0) >= 18,
        )
        for learner in Learner.objects.only(
            "first_name", "last_name", "social_handles", "end_date", "date_of_birth"
        )
    ]
    register += [
        RegisterPerson(g.full_name, (), "guardian") for g in Guardian.objects.only("first_name", "last_name")
    ]
    return PolicyContext(
        organisation_names=[organisation.name, *organisation.alias_list, *pack.organisation_names],
        organisation_handles=[
            *organisation.handle_list,
            *organisation.email_domain_list,
            *pack.organisation_handles,
        ],
        register=register,
        staff_names=[s.full_name for s in StaffMember.objects.only("first_name", "last_name")],
        allowed_domains=[*pack.allowed_domains, *organisation.email_domain_list],
        confidential_terms=list(pack.confidential_terms),
        approved_platforms=list(pack.approved_platforms),
        disclaimer=pack.disclaimer_template.replace("{organisation}", organisation.name),
    )


# The compiled engine for the current register, shared by the API's /check, the content app's
# check on every save and the compose page's live check.
_engine: tuple[int, Any] | None = None
_engine_lock = threading.Lock()


def _register_version() -> int:
    # Every change to the register, the organisation, the rules pack and the policy (whose
    # clauses findings cite) is audited, so the newest such audit event tells whether the
    # compiled engine is still current, in every process.
    from socialguard.audit.models import AuditEvent

    latest = (
        AuditEvent.objects.filter(
            Q(object_type__startswith="people.")
            | Q(object_type__in=("policies.rulespack", "policies.policyversion"))
        )
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return latest or 0


def policy_engine() -> Any:
    """The engine compiled for the current register, rebuilt only after the register changes."""
    from socialguard.rules import Engine

    global _engine
    version = _register_version()
    with _engine_lock:
        if _engine is None or _engine[0] != version:
            from socialguard.policies.packs import rules_pack

            pack, _ = rules_pack()
            _engine = (version, Engine(policy_context(pack), pack))
        return _engine[1]


def forget_policy_engine() -> None:
    """Drop the compiled engine: saving a rules pack does (so this process answers with the new
    pack at once; others see its audit event), and tests that write the register directly."""
    global _engine
    _engine = None


def staff_in_post(today: dt.date | None = None) -> QuerySet[StaffMember]:
    """Staff who have started and not left, as of `today`."""
    today = today or timezone.localdate()
    return (
        StaffMember.objects.exclude(leave_date__lte=today)
        .exclude(start_date__gt=today)
        .select_related("department", "line_manager", "user")
    )
