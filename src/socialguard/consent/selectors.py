"""Reads of the consent register. The current state of a person's consent for a scope is
derived, never stored: their latest record, then the calendar (an expiry passed; a guardian's
consent lapses on the learner's 18th birthday). Dates come from `timezone.localdate()`, so a
test that moves the clock moves every answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from socialguard.consent.models import ConsentRecord, Scope, Status, SubjectKind
from socialguard.people.models import Guardian, Learner, StaffMember

LAPSE_WARNING_DAYS = 60


@dataclass(frozen=True)
class ConsentState:
    """`code` is one of: given, refused, withdrawn, none, expired, lapsed (a guardian's consent
    for a learner now 18)."""

    code: str
    may_post: bool
    record: ConsentRecord | None
    lapses_on: dt.date | None = None  # when a current consent stops counting, if it will

    @property
    def words(self) -> str:
        return {
            "given": "Consent given",
            "refused": "Refused",
            "withdrawn": "Withdrawn",
            "none": "No consent recorded",
            "expired": "Consent expired",
            "lapsed": "Guardian's consent lapsed at 18: the learner must consent themselves",
        }[self.code]


def eighteenth_birthday(dob: dt.date) -> dt.date:
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:  # 29 February: the 18th birthday is 1 March in a common year
        return dt.date(dob.year + 18, 3, 1)


def subject(kind: str, ref: str) -> Learner | StaffMember | Guardian | None:
    model = {SubjectKind.LEARNER: Learner, SubjectKind.STAFF: StaffMember, SubjectKind.GUARDIAN: Guardian}
    found = model.get(kind)  # type: ignore[call-overload]
    return found.objects.filter(external_id=ref).first() if found else None  # type: ignore[no-any-return]


def derive(record: ConsentRecord | None, learner: Learner | None, today: dt.date) -> ConsentState:
    if record is None:
        return ConsentState("none", False, None)
    if record.status != Status.GIVEN:
        return ConsentState(str(record.status), False, record)
    ends: list[dt.date] = []
    if record.expires_on:
        ends.append(record.expires_on)
    if record.guardian_id and learner is not None and learner.date_of_birth:
        birthday = eighteenth_birthday(learner.date_of_birth)
        if today >= birthday:
            return ConsentState("lapsed", False, record, birthday)
        ends.append(birthday)
    if record.expires_on and record.expires_on < today:
        return ConsentState("expired", False, record, record.expires_on)
    return ConsentState("given", True, record, min(ends) if ends else None)


def latest_records(
    kind: str, refs: Iterable[str], scope: str = Scope.SOCIAL_MEDIA
) -> dict[str, ConsentRecord]:
    """Each person's latest record for `scope`: records are append-only, so the last saved wins."""
    latest: dict[str, ConsentRecord] = {}
    rows = ConsentRecord.objects.filter(subject_kind=kind, subject_id__in=list(refs), scope=scope)
    for record in rows.order_by("recorded_at", "pk"):
        latest[record.subject_id] = record
    return latest


def state_of(
    kind: str, ref: str, scope: str = Scope.SOCIAL_MEDIA, today: dt.date | None = None
) -> ConsentState:
    today = today or timezone.localdate()
    record = latest_records(kind, [ref], scope).get(ref)
    learner = Learner.objects.filter(external_id=ref).first() if kind == SubjectKind.LEARNER else None
    return derive(record, learner, today)


def states_of_learners(learners: Iterable[Learner], scope: str = Scope.SOCIAL_MEDIA,
                       today: dt.date | None = None) -> dict[str, ConsentState]:  # fmt: skip
    today = today or timezone.localdate()
    learners = list(learners)
    latest = latest_records(SubjectKind.LEARNER, [le.external_id for le in learners], scope)
    return {le.external_id: derive(latest.get(le.external_id), le, today) for le in learners}


def states_for_refs(
    people: Iterable[dict[str, str]], scope: str = Scope.SOCIAL_MEDIA
) -> dict[tuple[str, str], ConsentState]:
    """Consent for register references as drafts hold them ({"kind", "id"})."""
    today = timezone.localdate()
    out: dict[tuple[str, str], ConsentState] = {}
    for ref in people:
        key = (str(ref.get("kind", "")), str(ref.get("id", "")))
        if key not in out:
            out[key] = state_of(key[0], key[1], scope, today)
    return out


def history(kind: str, ref: str) -> list[ConsentRecord]:
    return list(
        ConsentRecord.objects.filter(subject_kind=kind, subject_id=ref)
        .select_related("guardian", "recorded_by", "form")
        .order_by("-recorded_at", "-pk")
    )


@dataclass(frozen=True)
class Lapse:
    learner: Learner
    on: dt.date
    why: str


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def lapsing(days: int = LAPSE_WARNING_DAYS, today: dt.date | None = None) -> list[Lapse]:
    """Current consent that stops counting within `days`: a guardian's as the learner turns 18,
    or any with an expiry."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    # Only learners whose consent could lapse in the window are read (a bounded few, not every
    # learner): given consent that expires within it, or a guardian's for a learner turning 18
    # within it. The one-day margins cover 29 February; `derive` below decides exactly.
    given = ConsentRecord.objects.filter(
        subject_kind=SubjectKind.LEARNER, scope=Scope.SOCIAL_MEDIA, status=Status.GIVEN
    )
    expiring = given.filter(expires_on__gte=today, expires_on__lte=horizon).values("subject_id")
    by_guardian = given.filter(guardian__isnull=False).values("subject_id")
    # Two queries, not one with OR: each side uses its index (external id; date of birth), where
    # the OR read all 100,000 learners of a large college.
    turning_18 = Learner.objects.filter(
        date_of_birth__gt=_years_before(today, 18) - dt.timedelta(days=1),
        date_of_birth__lte=_years_before(horizon, 18) + dt.timedelta(days=1),
        external_id__in=by_guardian,
    )
    candidates = {
        le.pk: le for query in (Learner.objects.filter(external_id__in=expiring), turning_18) for le in query
    }
    current = [le for le in candidates.values() if le.is_current_on(today)]
    states = states_of_learners(current, today=today)
    found = []
    for learner in current:
        state = states[learner.external_id]
        if state.may_post and state.lapses_on and state.lapses_on <= horizon and state.record:
            why = (
                "turns 18: their guardian's consent lapses"
                if state.record.guardian_id
                and learner.date_of_birth
                and state.lapses_on == eighteenth_birthday(learner.date_of_birth)
                else "consent expires"
            )
            found.append(Lapse(learner, state.lapses_on, why))
    return sorted(found, key=lambda item: (item.on, item.learner.last_name))


@dataclass(frozen=True)
class CoverageGroup:
    label: str
    consented: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.consented / self.total) if self.total else 0


def age_group(learner: Learner, today: dt.date) -> str:
    age = learner.age_on(today)
    if age is None:
        return "Age not recorded"
    return "Under 18" if age < 18 else "18 to 24" if age < 25 else "25 and over"


@dataclass(frozen=True)
class Coverage:
    overall: CoverageGroup
    by_programme: list[CoverageGroup]
    by_age: list[CoverageGroup]
    gaps: list[tuple[Learner, ConsentState]]


def coverage(today: dt.date | None = None) -> Coverage:
    """Share of current learners whose social-media consent is current, by programme and age
    group, and the learners without it (the gaps)."""
    today = today or timezone.localdate()
    current = [le for le in Learner.objects.order_by("last_name", "first_name") if le.is_current_on(today)]
    states = states_of_learners(current, today=today)

    def groups(key: Any) -> list[CoverageGroup]:
        tally: dict[str, list[int]] = {}
        for le in current:
            counts = tally.setdefault(key(le), [0, 0])
            counts[0] += states[le.external_id].may_post
            counts[1] += 1
        return [CoverageGroup(label, c, t) for label, (c, t) in sorted(tally.items())]

    overall = groups(lambda le: "All current learners")
    return Coverage(
        overall=overall[0] if overall else CoverageGroup("All current learners", 0, 0),
        by_programme=groups(lambda le: le.programme or "No programme recorded"),
        by_age=groups(lambda le: age_group(le, today)),
        gaps=[(le, states[le.external_id]) for le in current if not states[le.external_id].may_post],
    )
