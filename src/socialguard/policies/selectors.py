"""Reads: the current policy, its review state, who owes a declaration, training status, coverage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from socialguard.identity.roles import Role
from socialguard.people.models import EmploymentType, StaffMember
from socialguard.people.selectors import staff_in_post
from socialguard.policies import legislation, outline
from socialguard.policies.models import (
    Audience,
    Clause,
    Course,
    Declaration,
    PolicyDocument,
    PolicyReview,
    PolicyVersion,
    ReviewStatus,
    TrainingCompletion,
    VersionStatus,
)
from socialguard.policies.services import clauses_of

DUE_SOON_DAYS = 60  # a review this close shows as "due soon"
EXPIRING_DAYS = 30  # training that expires this soon shows as "due"

# Who runs organisational accounts is known to the accounts feature; it registers a function
# returning their staff ids. Until one is registered, nobody is an account runner.
ACCOUNT_RUNNER_SOURCES: list[Callable[[], Iterable[int]]] = []
# When each of them became a runner (named in a proposal, added to an account): their runner
# training falls due a grace period after that, not after the day they joined the organisation.
ACCOUNT_RUNNER_SINCE: list[Callable[[], Mapping[int, dt.date]]] = []


def policy_document() -> PolicyDocument | None:
    return PolicyDocument.objects.first()


def current_version() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("document").first()


def clause_sections(version: PolicyVersion | None) -> list[tuple[Clause, list[Clause]]]:
    """A version's clauses grouped under their top-level section (the section first), in order:
    how a checkbox list of clauses is laid out."""
    sections: list[tuple[Clause, list[Clause]]] = []
    for clause in version.clauses.order_by("order") if version else []:
        if clause.level <= 1 or not sections:
            sections.append((clause, []))
        sections[-1][1].append(clause)
    return sections


def open_review(document: PolicyDocument) -> PolicyReview | None:
    return document.reviews.filter(status=ReviewStatus.OPEN).select_related("version").first()


@dataclass(frozen=True)
class ReviewState:
    next_review_date: dt.date | None
    days: int  # days until the review (negative: overdue by that many)

    @property
    def state(self) -> str:
        if self.next_review_date is None:
            return "unknown"
        if self.days < 0:
            return "overdue"
        return "due-soon" if self.days <= DUE_SOON_DAYS else "ok"

    @property
    def describe(self) -> str:
        if self.next_review_date is None:
            return "no review date is set"
        when = f"{self.next_review_date:%-d %B %Y}"
        if self.days < 0:
            return f"review overdue since {when} ({_span(-self.days)})"
        if self.days == 0:
            return "review due today"
        return f"review due {when} (in {_span(self.days)})"


def _span(days: int) -> str:
    if days >= 730:
        return f"{days // 365} years"
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} day{'s' if days != 1 else ''}"


def review_state(document: PolicyDocument, today: dt.date | None = None) -> ReviewState:
    today = today or timezone.localdate()
    due = document.next_review_date
    return ReviewState(due, (due - today).days if due else 0)


def references_for(version: PolicyVersion) -> legislation.ReferenceReport:
    register = legislation.load_register(getattr(settings, "LEGISLATION_FILE", ""))
    return legislation.check_references(clauses_of(version), register)


def version_diff(old: PolicyVersion, new: PolicyVersion) -> list[outline.ClauseChange]:
    return outline.diff_clauses(clauses_of(old), clauses_of(new))


# --- Declarations ------------------------------------------------------------------------------


@dataclass
class DeclarationRow:
    staff: StaffMember
    declaration: Declaration | None
    owed_since: dt.date | None  # None when declared
    previous: Declaration | None  # their latest declaration of an earlier version

    @property
    def declared(self) -> bool:
        return self.declaration is not None

    def days_owed(self, today: dt.date) -> int:
        return (today - self.owed_since).days if self.owed_since else 0


def _owed_since(staff: StaffMember, version: PolicyVersion) -> dt.date:
    published = timezone.localdate(version.published_at) if version.published_at else timezone.localdate()
    return max(published, staff.start_date) if staff.start_date else published


def declaration_rows(
    version: PolicyVersion, staff: Iterable[StaffMember] | None = None
) -> list[DeclarationRow]:
    members = list(staff if staff is not None else staff_in_post())
    ids = [m.pk for m in members]
    current = {d.staff_id: d for d in Declaration.objects.filter(version=version, staff_id__in=ids)}
    previous: dict[int, Declaration] = {}
    for d in (
        Declaration.objects.filter(
            staff_id__in=ids, version__document=version.document, version__number__lt=version.number
        )
        .select_related("version")
        .order_by("staff_id", "-version__number")
    ):
        previous.setdefault(d.staff_id, d)
    return [
        DeclarationRow(
            staff=m,
            declaration=current.get(m.pk),
            owed_since=None if m.pk in current else _owed_since(m, version),
            previous=previous.get(m.pk),
        )
        for m in members
    ]


def declaration_owed(staff: StaffMember | None) -> DeclarationRow | None:
    """The row for a staff member who owes a declaration of the current version, else None."""
    version = current_version()
    if version is None or staff is None or staff.has_left:
        return None
    if staff.start_date and staff.start_date > timezone.localdate():
        return None
    row = declaration_rows(version, [staff])[0]
    return None if row.declared else row


def reason_to_declare(row: DeclarationRow, version: PolicyVersion) -> str:
    if row.previous is None:
        return "You have not yet declared the current policy."
    declared = row.previous.version.number
    return f"The policy changed since you declared version {declared}: {version.change_summary}."


@dataclass(frozen=True)
class CoverageGroup:
    label: str
    declared: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.declared / self.total) if self.total else 0


def coverage(rows: list[DeclarationRow], by: str) -> list[CoverageGroup]:
    """Declared / in post per department, employment type, or overall (by="all")."""
    labels = dict(EmploymentType.choices)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if by == "department":
            key = row.staff.department.name if row.staff.department else "No department"
        elif by == "employment_type":
            key = labels.get(row.staff.employment_type, row.staff.employment_type)
        else:
            key = "All staff"
        counts[key][1] += 1
        counts[key][0] += int(row.declared)
    return [CoverageGroup(k, v[0], v[1]) for k, v in sorted(counts.items())]


def coverage_trend(
    version: PolicyVersion, rows: list[DeclarationRow], today: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """Per day since publication: the share of today's staff in post who had declared by then."""
    today = today or timezone.localdate()
    start = timezone.localdate(version.published_at) if version.published_at else today
    total = len(rows)
    days = [r.declaration.declared_at for r in rows if r.declaration]
    dates = sorted(timezone.localdate(d) for d in days)
    span = max(0, (today - start).days)
    step = max(1, span // 60)  # at most ~60 points, whatever the span
    points = []
    index = 0
    day = start
    while True:
        while index < len(dates) and dates[index] <= day:
            index += 1
        points.append((day, round(100 * index / total) if total else 0))
        if day >= today:
            break
        day = min(today, day + dt.timedelta(days=step))
    return points


@dataclass(frozen=True)
class CoverageSummary:
    """Declaration coverage counted in the database: the page's figures whatever the number of
    staff, and the ones still to declare as a query to show a page of."""

    overall: CoverageGroup
    by_department: list[CoverageGroup]
    by_type: list[CoverageGroup]
    trend: list[tuple[dt.date, int]]
    outstanding: QuerySet[StaffMember]  # annotated with owed_since, longest owed first


def _published_on(version: PolicyVersion) -> dt.date:
    return timezone.localdate(version.published_at) if version.published_at else timezone.localdate()


def declaration_summary(version: PolicyVersion, today: dt.date | None = None) -> CoverageSummary:
    """What `coverage` and `coverage_trend` give from `declaration_rows`, in a fixed number of
    queries: the same groups, labels and order."""
    today = today or timezone.localdate()
    declared = Exists(Declaration.objects.filter(version=version, staff=OuterRef("pk")))
    staff = staff_in_post(today).select_related(None).annotate(declared=declared).order_by()
    counts = {"total": Count("pk"), "declared_n": Count("pk", filter=Q(declared=True))}

    def groups(field: str, label: Callable[[Any], str]) -> list[CoverageGroup]:
        rows = staff.values(field).annotate(**counts)
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            key = label(row[field])
            found[key][0] += row["declared_n"]
            found[key][1] += row["total"]
        return [CoverageGroup(k, v[0], v[1]) for k, v in sorted(found.items())]

    everyone = staff.aggregate(**counts)
    types = dict(EmploymentType.choices)
    by_day = (
        Declaration.objects.filter(version=version, staff__in=staff.values("pk"))
        .annotate(day=TruncDate("declared_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    published = _published_on(version)
    owed_since = Greatest(Coalesce("start_date", Value(published)), Value(published))
    return CoverageSummary(
        overall=CoverageGroup("All staff", everyone["declared_n"], everyone["total"]),
        by_department=groups("department__name", lambda name: name or "No department"),
        by_type=groups("employment_type", lambda kind: str(types.get(kind, kind))),
        trend=_trend(published, {row["day"]: row["n"] for row in by_day}, everyone["total"], today),
        outstanding=staff_in_post(today)
        .exclude(declared)
        .annotate(owed_since=owed_since)
        .order_by("owed_since", "last_name", "pk"),
    )


def _trend(
    start: dt.date, per_day: Mapping[dt.date, int], total: int, today: dt.date
) -> list[tuple[dt.date, int]]:
    """As `coverage_trend`, from the number of declarations made each day."""
    days = sorted(per_day)
    span = max(0, (today - start).days)
    step = max(1, span // 60)  # at most ~60 points, whatever the span
    points = []
    index = done = 0
    day = start
    while True:
        while index < len(days) and days[index] <= day:
            done += per_day[days[index]]
            index += 1
        points.append((day, round(100 * done / total) if total else 0))
        if day >= today:
            break
        day = min(today, day + dt.timedelta(days=step))
    return points


# --- Training ----------------------------------------------------------------------------------


ROLE_AUDIENCES = {
    Audience.SMT: Role.SMT,
    Audience.DSL: Role.DSL,
    Audience.QUALITY_DIRECTOR: Role.QUALITY_DIRECTOR,
}


def audience_members(audience: str, today: dt.date | None = None) -> QuerySet[StaffMember]:
    in_post = staff_in_post(today)
    if audience == Audience.EVERYONE:
        return in_post
    if audience == Audience.ACCOUNT_RUNNERS:
        ids: set[int] = set()
        for source in ACCOUNT_RUNNER_SOURCES:
            ids.update(source())
        return in_post.filter(pk__in=ids)
    return in_post.filter(user__role_assignments__role=ROLE_AUDIENCES[Audience(audience)]).distinct()


@dataclass
class TrainingStatus:
    staff: StaffMember
    course: Course
    latest: TrainingCompletion | None
    state: str  # ok | expiring | expired | due | overdue
    due_on: dt.date | None

    @property
    def label(self) -> str:
        when = f"{self.due_on:%-d %b %Y}" if self.due_on else ""
        return {
            "ok": f"up to date{f' until {when}' if self.due_on else ''}",
            "expiring": f"expires {when}",
            "expired": f"expired {when}",
            "due": f"due by {when}",
            "overdue": f"overdue since {when}",
        }[self.state]

    @property
    def needs_action(self) -> bool:
        return self.state != "ok"


def _audience_since(audience: str) -> dict[int, dt.date]:
    """For audiences people join after starting work (account runners): since when, per person."""
    since: dict[int, dt.date] = {}
    if audience == Audience.ACCOUNT_RUNNERS:
        for source in ACCOUNT_RUNNER_SINCE:
            for pk, day in source().items():
                since[pk] = min(day, since.get(pk, day))
    return since


def _status(
    staff: StaffMember,
    course: Course,
    latest: TrainingCompletion | None,
    today: dt.date,
    since: dt.date | None = None,
) -> TrainingStatus:
    if latest is None:
        known = [d for d in (staff.start_date, since) if d is not None]
        start = max(known) if known else today
        due = start + dt.timedelta(days=course.grace_days)
        return TrainingStatus(staff, course, None, "overdue" if due < today else "due", due)
    if latest.expires_on is None:
        return TrainingStatus(staff, course, latest, "ok", None)
    if latest.expires_on < today:
        return TrainingStatus(staff, course, latest, "expired", latest.expires_on)
    if (latest.expires_on - today).days <= EXPIRING_DAYS:
        return TrainingStatus(staff, course, latest, "expiring", latest.expires_on)
    return TrainingStatus(staff, course, latest, "ok", latest.expires_on)


def training_statuses(
    courses: Iterable[Course] | None = None, staff: StaffMember | None = None, today: dt.date | None = None
) -> list[TrainingStatus]:
    """One status per required (person, course): who is up to date, due, expired or missing."""
    today = today or timezone.localdate()
    result = []
    for course in courses if courses is not None else Course.objects.filter(active=True):
        members = audience_members(course.required_for, today)
        if staff is not None:
            members = members.filter(pk=staff.pk)
        latest: dict[int, TrainingCompletion] = {}
        for c in TrainingCompletion.objects.filter(course=course, staff__in=members).order_by(
            "staff_id", "-completed_on"
        ):
            latest.setdefault(c.staff_id, c)
        since = _audience_since(course.required_for)
        result += [_status(m, course, latest.get(m.pk), today, since.get(m.pk)) for m in members]
    return result


@dataclass(frozen=True)
class CourseCoverage:
    course: Course
    required: int
    current: int
    gaps: list[TrainingStatus]  # everyone with something to do: not up to date, or expiring soon

    @property
    def percent(self) -> int:
        return round(100 * self.current / self.required) if self.required else 100

    @property
    def not_current(self) -> int:
        """Required but not up to date: never trained, due, overdue or expired."""
        return self.required - self.current

    @property
    def expiring(self) -> int:
        """Up to date (so in `current`) but expiring within EXPIRING_DAYS: also in `gaps`, so the
        page says so, or "34 of 38 up to date" and "5 to act on" would seem to disagree."""
        return sum(1 for s in self.gaps if s.state == "expiring")


def training_coverage(today: dt.date | None = None) -> list[CourseCoverage]:
    statuses = training_statuses(today=today)
    by_course: dict[int, list[TrainingStatus]] = defaultdict(list)
    for s in statuses:
        by_course[s.course.pk].append(s)
    result = []
    for course in Course.objects.filter(active=True):
        items = by_course.get(course.pk, [])
        current = sum(1 for s in items if s.state in ("ok", "expiring"))
        order = {"overdue": 0, "expired": 1, "due": 2, "expiring": 3}
        gaps = sorted((s for s in items if s.needs_action), key=lambda s: (order[s.state], s.staff.last_name))
        result.append(CourseCoverage(course, len(items), current, gaps))
    return result


# The order `training_coverage` lists gaps in; "ok" last, and not a gap.
_STATE_RANK = {"overdue": 0, "expired": 1, "due": 2, "expiring": 3, "ok": 4}


@dataclass(frozen=True)
class CourseSummary:
    """One course's coverage counted in the database, with its gaps as a query to page through:
    the figures of `training_coverage` in a fixed number of queries whatever the staff."""

    course: Course
    required: int
    current: int
    expiring: int
    gap_count: int
    gaps: QuerySet[StaffMember]  # annotated with state_rank; in `training_coverage`'s order
    since: Mapping[int, dt.date]
    today: dt.date

    @property
    def percent(self) -> int:
        return round(100 * self.current / self.required) if self.required else 100

    @property
    def not_current(self) -> int:
        return self.required - self.current

    def statuses(self, members: Iterable[StaffMember]) -> list[TrainingStatus]:
        """The statuses of a page of `gaps`: their latest completions in one query."""
        members = list(members)
        latest: dict[int, TrainingCompletion] = {}
        for c in TrainingCompletion.objects.filter(
            course=self.course, staff_id__in=[m.pk for m in members]
        ).order_by("staff_id", "-completed_on", "-pk"):
            latest.setdefault(c.staff_id, c)
        return [_status(m, self.course, latest.get(m.pk), self.today, self.since.get(m.pk)) for m in members]


def course_summaries(today: dt.date | None = None, code: str = "") -> list[CourseSummary]:
    """Per active course (or the one with `code`): how many must have it, how many are up to date
    or expiring, and who has something to do. `_status` decides the same states in Python."""
    today = today or timezone.localdate()
    courses = Course.objects.filter(active=True)
    if code:
        courses = courses.filter(code=code)
    result = []
    for course in courses:
        since = _audience_since(course.required_for)
        completions = TrainingCompletion.objects.filter(course=course, staff=OuterRef("pk"))
        latest_expiry = completions.order_by("-completed_on", "-pk").values("expires_on")[:1]
        members = audience_members(course.required_for, today).annotate(
            trained=Exists(completions), latest_expires=Subquery(latest_expiry)
        )
        # Never trained: due `grace_days` after they started (or became a runner), overdue after.
        start: Any = Coalesce("start_date", Value(today))
        if since:
            joined = Case(*(When(pk=pk, then=Value(day)) for pk, day in since.items()), default=None)
            start = Greatest(
                Coalesce("start_date", joined, Value(today)), Coalesce(joined, "start_date", Value(today))
            )
        overdue_before = today - dt.timedelta(days=course.grace_days)
        rank = Case(
            When(
                Q(trained=False) & Q(start_date_or_since__lt=overdue_before),
                then=Value(_STATE_RANK["overdue"]),
            ),
            When(trained=False, then=Value(_STATE_RANK["due"])),
            When(latest_expires__lt=today, then=Value(_STATE_RANK["expired"])),
            When(
                latest_expires__lte=today + dt.timedelta(days=EXPIRING_DAYS),
                then=Value(_STATE_RANK["expiring"]),
            ),
            default=Value(_STATE_RANK["ok"]),
            output_field=IntegerField(),
        )
        members = members.annotate(start_date_or_since=start).annotate(state_rank=rank)
        counts = members.order_by().aggregate(
            required=Count("pk"),
            current=Count("pk", filter=Q(state_rank__gte=_STATE_RANK["expiring"])),
            expiring=Count("pk", filter=Q(state_rank=_STATE_RANK["expiring"])),
            gaps=Count("pk", filter=Q(state_rank__lt=_STATE_RANK["ok"])),
        )
        gaps = members.filter(state_rank__lt=_STATE_RANK["ok"]).order_by("state_rank", "last_name", "pk")
        result.append(
            CourseSummary(
                course,
                counts["required"],
                counts["current"],
                counts["expiring"],
                counts["gaps"],
                gaps,
                since,
                today,
            )
        )
    return result


def staff_for_user(user: Any) -> StaffMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return StaffMember.objects.filter(user=user).select_related("department", "line_manager").first()


def sentence(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower-case "February")."""
    return text[:1].upper() + text[1:]
