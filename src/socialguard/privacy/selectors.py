"""Reads for the privacy pages: the register as the self-check sees it, coverage, what is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from socialguard.incidents import access as case_access
from socialguard.incidents.models import Case, Category, Status
from socialguard.people.models import Guardian, Learner, StaffMember
from socialguard.policies.selectors import staff_for_user, staff_in_post
from socialguard.privacy import retention
from socialguard.privacy.matching import (
    CURRENT_LEARNER,
    GUARDIAN,
    PAST_LEARNER_UNDER_18,
    Index,
    RegisterEntry,
)
from socialguard.privacy.models import Erasure, PersonKind, PrivacyReview, ScreeningRecord, SelfCheck


def _handles(text: str) -> tuple[str, ...]:
    return tuple(h.strip() for h in text.replace(",", "\n").replace(";", "\n").splitlines() if h.strip())


def register_index(today: dt.date | None = None) -> Index:
    """Everyone a member of staff must not be friends with (5.2), built fresh for each check and
    kept only in memory. Past learners of unknown age count as under 18: the safe way to be wrong."""
    today = today or timezone.localdate()
    erased = set(Erasure.objects.filter(kind=PersonKind.LEARNER).values_list("record_id", flat=True))
    entries = []
    for learner in Learner.objects.only(
        "pk", "first_name", "last_name", "social_handles", "start_date", "end_date", "date_of_birth"
    ).iterator():
        if learner.pk in erased:
            continue
        if learner.is_current_on(today):
            kind = CURRENT_LEARNER
        else:
            age = learner.age_on(today)
            if age is not None and age >= 18:
                continue
            kind = PAST_LEARNER_UNDER_18
        entries.append(
            RegisterEntry(learner.full_name, kind, _handles(learner.social_handles), f"learner:{learner.pk}")
        )
    erased_guardians = set(
        Erasure.objects.filter(kind=PersonKind.GUARDIAN).values_list("record_id", flat=True)
    )
    for guardian in Guardian.objects.only("pk", "first_name", "last_name").iterator():
        if guardian.pk not in erased_guardians:
            entries.append(RegisterEntry(guardian.full_name, GUARDIAN, (), f"guardian:{guardian.pk}"))
    return Index.build(entries)


def my_staff_record(user: Any) -> StaffMember | None:
    return staff_for_user(user)


def last_review(staff: StaffMember) -> PrivacyReview | None:
    return staff.privacy_reviews.order_by("-done_at").first()


def last_self_check(staff: StaffMember) -> SelfCheck | None:
    return staff.self_checks.order_by("-done_at").first()


def review_due_on(staff: StaffMember) -> dt.date | None:
    """None: never reviewed, so due now."""
    review = last_review(staff)
    if review is None:
        return None
    return retention.add_months(timezone.localdate(review.done_at), retention.review_months())


@dataclass(frozen=True)
class CoverageRow:
    department: str
    staff: int
    reviewed: int  # a privacy review within the period
    checked: int  # a connection check within the period
    matches_resolved: int  # how many matches the department's checks resolved, in total

    @property
    def reviewed_percent(self) -> int:
        return round(100 * self.reviewed / self.staff) if self.staff else 0

    @property
    def checked_percent(self) -> int:
        return round(100 * self.checked / self.staff) if self.staff else 0


def coverage(today: dt.date | None = None) -> list[CoverageRow]:
    """Per department: how many staff in post have done each within the review period. Counts
    only: who did what is not shown (done or not done is all SMT need to follow up)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        dt.datetime.combine(retention.add_months(today, -retention.review_months()), dt.time.min)
    )
    rows: dict[str, list[int]] = {}
    staff = staff_in_post(today).annotate(
        last_review=Max("privacy_reviews__done_at"), last_check=Max("self_checks__done_at")
    )
    for member in staff:
        name = member.department.name if member.department else "No department"
        row = rows.setdefault(name, [0, 0, 0])
        row[0] += 1
        row[1] += int(member.last_review is not None and member.last_review >= since)
        row[2] += int(member.last_check is not None and member.last_check >= since)
    totals: dict[str, int] = {}
    for check in SelfCheck.objects.filter(done_at__gte=since).select_related("staff__department"):
        name = check.staff.department.name if check.staff.department else "No department"
        totals[name] = totals.get(name, 0) + check.resolved
    return [
        CoverageRow(name, rows[name][0], rows[name][1], rows[name][2], totals.get(name, 0))
        for name in sorted(rows)
    ]


def screening_records(user: Any) -> QuerySet[ScreeningRecord]:
    return ScreeningRecord.objects.select_related("recorded_by", "exception_approved_by")


def screening_expired(today: dt.date) -> QuerySet[ScreeningRecord]:
    return ScreeningRecord.objects.filter(expires_on__lte=today).order_by("expires_on", "pk")


# --- People: retention, holds ------------------------------------------------------------------


def person_model(kind: str) -> Any:
    """StaffMember, Learner or Guardian."""
    return {PersonKind.STAFF: StaffMember, PersonKind.LEARNER: Learner, PersonKind.GUARDIAN: Guardian}[
        PersonKind(kind)
    ]


def is_erased(kind: str, pk: int) -> bool:
    return Erasure.objects.filter(kind=kind, record_id=pk).exists()


def cases_about(kind: str, person: Any) -> QuerySet[Case]:
    """Cases the person is a party to (or the subject or reporter of, for staff)."""
    q = Q(**{f"parties__{kind}": person})
    if kind == PersonKind.STAFF:
        q |= Q(outcome_subject=person)
        if person.user_id:
            q |= Q(reporter_id=person.user_id) | Q(investigator_id=person.user_id)
    return Case.objects.filter(q).distinct().order_by("created_at", "pk")


HIDDEN_HOLD = "a record you may not open holds this person; erasure waits until it is released"


def _readable_case_ids(reader: Any) -> set[int] | None:
    """The cases `reader` reads in full (None: no reader, the system itself)."""
    if reader is None:
        return None
    return set(case_access.readable(reader).values_list("pk", flat=True))


def legal_holds(
    kind: str,
    person: Any,
    today: dt.date | None = None,
    *,
    reader: Any = None,
    readable: set[int] | None = None,
) -> list[str]:
    """Why the person's record may not be erased now, in words; empty when nothing holds it.

    Said to `reader`: a case they may not read in full (a restricted safeguarding case, for SMT)
    is one neutral line, without its reference, kind or date: the hold would otherwise tell whoever
    asks about anyone that the person is part of a confidential case, and a closed one's "kept
    until" date can give away a child's date of birth."""
    today = today or timezone.localdate()
    if readable is None:
        readable = _readable_case_ids(reader)
    holds = []
    hidden = False
    for case in cases_about(kind, person).filter(anonymised_at__isnull=True):
        held = case.status != Status.CLOSED or case.retain_until is None or case.retain_until > today
        if not held:
            continue
        if readable is not None and case.pk not in readable:
            hidden = True
            continue
        safeguarding = case.restricted or case.category == Category.SAFEGUARDING
        what = "a safeguarding record" if safeguarding else "a case"
        if case.status != Status.CLOSED:
            holds.append(f"{what} is open ({case.reference}); erasure waits until it is closed")
        else:
            until = f" until {case.retain_until:%-d %B %Y}" if case.retain_until else ""
            holds.append(f"{what} ({case.reference}) is kept{until}; the person's part in it must stay")
    if hidden:
        holds.append(HIDDEN_HOLD)
    return holds


@dataclass(frozen=True)
class DueRow:
    kind: str
    pk: int
    name: str
    rule: str
    due_since: dt.date
    holds: list[str]


def _erased(kind: str) -> set[int]:
    return set(Erasure.objects.filter(kind=kind).values_list("record_id", flat=True))


def retention_due(today: dt.date | None = None, *, reader: Any = None) -> list[DueRow]:
    """People past their retention period and not yet erased, each with any legal hold (said to
    `reader`, as legal_holds says)."""
    today = today or timezone.localdate()
    readable = _readable_case_ids(reader)
    years = retention.people_years()
    rows = []
    erased = _erased(PersonKind.STAFF)
    for staff in StaffMember.objects.filter(leave_date__isnull=False).order_by("leave_date", "pk"):
        due = retention.add_years(staff.leave_date, years[retention.LEAVER])  # type: ignore[arg-type]
        if due <= today and staff.pk not in erased:
            rows.append(
                DueRow(
                    PersonKind.STAFF,
                    staff.pk,
                    staff.full_name,
                    retention.RULE_WORDS[retention.LEAVER],
                    due,
                    legal_holds(PersonKind.STAFF, staff, today, readable=readable),
                )
            )
    erased = _erased(PersonKind.LEARNER)
    for learner in Learner.objects.filter(end_date__isnull=False).order_by("end_date", "pk"):
        due = retention.add_years(learner.end_date, years[retention.PAST_LEARNER])  # type: ignore[arg-type]
        if due <= today and learner.pk not in erased:
            rows.append(
                DueRow(
                    PersonKind.LEARNER,
                    learner.pk,
                    learner.full_name,
                    retention.RULE_WORDS[retention.PAST_LEARNER],
                    due,
                    legal_holds(PersonKind.LEARNER, learner, today, readable=readable),
                )
            )
    erased = _erased(PersonKind.GUARDIAN)
    for guardian in Guardian.objects.prefetch_related("learners").order_by("pk"):
        learners = list(guardian.learners.all())
        if not learners or any(le.end_date is None for le in learners) or guardian.pk in erased:
            continue
        last = max(le.end_date for le in learners if le.end_date is not None)
        due = retention.add_years(last, years[retention.GUARDIAN])
        if due <= today:
            rows.append(
                DueRow(
                    PersonKind.GUARDIAN,
                    guardian.pk,
                    guardian.full_name,
                    retention.RULE_WORDS[retention.GUARDIAN],
                    due,
                    legal_holds(PersonKind.GUARDIAN, guardian, today, readable=readable),
                )
            )
    return sorted(rows, key=lambda r: (r.due_since, r.kind, r.pk))
