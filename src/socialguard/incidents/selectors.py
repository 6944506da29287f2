"""Reads: lists, a case as a given person may see it, statistics, exports and reminders. Each
goes through `access` so that no page, export, search or email shows more than it allows."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from socialguard.incidents import retention
from socialguard.incidents.access import (
    Access,
    access,
    access_levels,
    involved_in,
    involving,
    listed,
    manageable,
    may_manage,
    readable,
    reads_safeguarding,
)
from socialguard.incidents.models import (
    Case,
    Category,
    Entry,
    Evidence,
    Outcome,
    Party,
    Referral,
    Status,
    Task,
)
from socialguard.incidents.transitions import allowed_actions

RESTRICTED_LABEL = "Restricted (safeguarding)"
# What a row a person may not read says instead of its category: why they cannot read it, in the
# words of their role (the DSL and deputies otherwise saw a bare "Not shared with you" on every
# ordinary case SMT handle, and could not tell which rows were theirs).
RESTRICTED_ROW = f"{RESTRICTED_LABEL}: the DSL and deputies only"
SMT_ONLY_ROW = "Handled by SMT"  # the list explains: no safeguarding part, so not the DSL's
NOT_SHARED_ROW = "Not shared with you"


@dataclass
class CaseRow:
    """One line of a list: full detail only where the person may read the case."""

    case: Case
    level: Access
    safeguarding_reader: bool = False  # the person listing is the DSL or a deputy

    @property
    def full(self) -> bool:
        return self.level == Access.FULL

    @property
    def category(self) -> str:
        if self.full or self.level == Access.REPORTER:
            return self.case.get_category_display()
        if self.case.restricted:
            return RESTRICTED_ROW
        return SMT_ONLY_ROW if self.safeguarding_reader else NOT_SHARED_ROW

    @property
    def status(self) -> str:
        if self.full:
            return self.case.get_status_display()
        return "Open" if self.case.is_open else "Closed"


def case_list(user: Any, query: str = "", status: str = "", category: str = "") -> QuerySet[Case]:
    """The cases a person's list shows, filtered, newest first: a queryset that a page slices."""
    cases: QuerySet[Case] = search(user, query) if query.strip() else listed(user)
    if status == "open":
        cases = cases.exclude(status=Status.CLOSED)
    elif status == Status.CLOSED:
        cases = cases.filter(status=status)  # open or closed is what every row shows
    elif status in Status.values:
        # Any other status only among the cases the person reads in full, as category below: a
        # restricted case listed under "awaiting referral" would tell SMT it went to the LADO.
        cases = cases.filter(status=status, pk__in=readable(user).values("pk"))
    if category:
        # Only among the cases the person reads in full: filtering the others by category would
        # reveal their category.
        cases = cases.filter(category=category, pk__in=readable(user).values("pk"))
    return cases.select_related("reporter", "investigator")


def rows_for(user: Any, cases: Iterable[Case]) -> list[CaseRow]:
    """Rows for the cases of one page, each in the detail `access` allows (one query for all)."""
    cases = list(cases)
    levels = access_levels(user, cases)
    safeguarding = reads_safeguarding(user)
    return [CaseRow(c, levels[c.pk], safeguarding) for c in cases if levels[c.pk] != Access.NONE]


def case_rows(user: Any, query: str = "", status: str = "", category: str = "") -> list[CaseRow]:
    return rows_for(user, case_list(user, query=query, status=status, category=category))


def search(user: Any, query: str) -> QuerySet[Case]:
    """Search looks only into cases the person reads in full, and into restricted entries only
    for the DSL and deputies: a hit must never reveal what someone may not read.

    Each place a word can be is its own subquery of case ids (the case, its people, its entries),
    so that PostgreSQL answers each from its trigram index (migration 0004) instead of scanning
    the join of all three; SQLite scans, with the same results."""
    words = query.strip()
    in_case = Case.objects.filter(
        Q(reference__icontains=words) | Q(summary__icontains=words) | Q(account__icontains=words)
    ).values("pk")
    named = Q(name__icontains=words)
    for part in words.split():
        named |= Q(staff__last_name__iexact=part) | Q(learner__last_name__iexact=part)
        named |= Q(guardian__last_name__iexact=part)
    in_parties = Party.objects.filter(named).values("case_id")
    entries = Entry.objects.filter(text__icontains=words)
    if not reads_safeguarding(user):
        entries = entries.filter(restricted=False)
    match = Q(pk__in=in_case) | Q(pk__in=in_parties) | Q(pk__in=entries.values("case_id"))
    found = readable(user).filter(match).values("pk")
    mine = Case.objects.filter(reporter=user, reference__iexact=words).values("pk")
    return Case.objects.filter(Q(pk__in=found) | Q(pk__in=mine))


@dataclass
class CaseView:
    """A case as one person may see it."""

    case: Case
    level: Access
    reads_restricted: bool
    can_manage: bool
    entries: list[Entry] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    hidden_parts: int = 0


def case_view(user: Any, case: Case) -> CaseView:
    level = access(user, case)
    if level != Access.FULL:
        mine = list(case.evidence.filter(uploaded_by=user)) if level == Access.REPORTER else []
        return CaseView(case, level, False, False, evidence=mine)
    restricted_ok = reads_safeguarding(user)
    view = CaseView(case, level, restricted_ok, may_manage(user, case))
    for name, items in (
        ("entries", case.entries.select_related("author")),
        ("evidence", case.evidence.select_related("uploaded_by")),
        ("referrals", case.referrals.select_related("referred_by")),
    ):
        shown = [i for i in items if restricted_ok or not i.restricted]
        view.hidden_parts += len(items) - len(shown)
        setattr(view, name, shown)
    view.tasks = list(case.tasks.select_related("assignee"))
    return view


def may_download(user: Any, item: Evidence) -> bool:
    level = access(user, item.case)
    if level == Access.REPORTER:
        return item.uploaded_by_id == user.pk
    return level == Access.FULL and (not item.restricted or reads_safeguarding(user))


def export_rows(user: Any) -> list[list[str]]:
    """Metadata only, never what happened: an export leaves the system's protection."""
    header = ["reference", "category", "status", "severity", "opened", "triaged", "closed", "outcome"]
    rows = [header]
    for row in case_rows(user):
        c = row.case
        rows.append(
            [
                c.reference,
                row.category,
                row.status,
                c.get_severity_display() if row.full else "",
                f"{timezone.localdate(c.created_at):%Y-%m-%d}",
                f"{timezone.localdate(c.triaged_at):%Y-%m-%d}" if row.full and c.triaged_at else "",
                f"{timezone.localdate(c.closed_at):%Y-%m-%d}" if c.closed_at else "",
                c.get_outcome_display() if row.full else "",
            ]
        )
    return rows


@dataclass
class Stats:
    months: list[str]
    by_month: dict[str, Counter[str]]  # month → category label → count
    by_category: Counter[str]
    by_outcome: Counter[str]
    open_by_age: list[tuple[str, int]]
    days_to_triage: float | None
    days_to_close: float | None
    total: int  # all time, like by_category, by_outcome and the medians
    open: int
    restricted: int
    in_months: int = 0  # reported in `months` (the chart's window)


AGE_BUCKETS = [(7, "Under a week"), (30, "1 to 4 weeks"), (90, "1 to 3 months"), (None, "over 3 months")]


def _median_days(cases: QuerySet[Case], start: str, end: str) -> float | None:
    """The median of `end - start` over the cases that have `end`, in days: the middle one or
    two spans read from the database in order, not every case."""
    span = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    found = cases.filter(**{f"{end}__isnull": False}).annotate(span=span)
    n = found.count()
    if not n:
        return None
    middle = list(found.order_by("span", "pk").values_list("span", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return round(statistics.median(s.total_seconds() for s in middle) / 86400, 1)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def stats(reader: Any, months: int = 12, today: dt.date | None = None) -> Stats:
    """Counts over every case, restricted ones included: the totals, categories, outcomes and
    medians over all time; `by_month` and `in_months` over the last `months` calendar months, this
    one included (the page says which is which). Counted in the database, in a fixed number of
    queries whatever the number of cases.

    A case the reader does not read in full (`readable`: restricted for all but the DSL and
    deputies, an ordinary one for a DSL who is not SMT, one they are a party to) is counted, never
    described: its category and outcome are both what its row in the list says instead
    (`RESTRICTED_LABEL`, `SMT_ONLY_ROW` or `NOT_SHARED_ROW`). Otherwise the figures before and
    after one closes would give its outcome."""
    today = today or timezone.localdate()
    back = today.year * 12 + today.month - 1 - (months - 1)
    first = dt.date(back // 12, back % 12 + 1, 1)
    labels = []
    cursor = first
    while cursor <= today:
        labels.append(f"{cursor:%Y-%m}")
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    category_label = dict(Category.choices)
    outcome_label = dict(Outcome.choices)
    cases = Case.objects.order_by()
    is_open = ~Q(status=Status.CLOSED)
    # An open case is in the first bucket whose limit its age in local days is under.
    buckets, newer = {}, Q()
    for limit, name in AGE_BUCKETS:
        within = Q(created_at__gte=_day_start(today - dt.timedelta(days=limit - 1))) if limit else Q()
        buckets[name] = Count("pk", filter=is_open & within & ~newer)
        newer |= within
    totals = cases.aggregate(
        total=Count("pk"),
        restricted=Count("pk", filter=Q(restricted=True)),
        open=Count("pk", filter=is_open),
        in_months=Count("pk", filter=Q(created_at__gte=_day_start(first))),
        **{f"age{i}": count for i, count in enumerate(buckets.values())},
    )
    # Grouped by whether the reader reads each case, and whether they are a party to it, in the
    # same query (subqueries).
    described = cases.annotate(
        described=ExpressionWrapper(Q(pk__in=readable(reader).values("pk")), output_field=BooleanField()),
        involved=ExpressionWrapper(Q(pk__in=involving(reader).values("pk")), output_field=BooleanField()),
    )
    ordinary_hidden = SMT_ONLY_ROW if reads_safeguarding(reader) else NOT_SHARED_ROW

    def label(row: dict[str, Any], field: str, labels: dict[Any, Any]) -> str:
        if row["described"]:
            return str(labels[row[field]])
        if row["restricted"]:
            return RESTRICTED_LABEL
        return NOT_SHARED_ROW if row["involved"] else ordinary_hidden

    by_category: Counter[str] = Counter()
    for row in described.values("category", "restricted", "described", "involved").annotate(n=Count("pk")):
        by_category[label(row, "category", category_label)] += row["n"]
    by_outcome: Counter[str] = Counter()
    rows = (
        described.exclude(outcome="")
        .values("outcome", "restricted", "described", "involved")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_outcome[label(row, "outcome", outcome_label)] += row["n"]
    by_month: dict[str, Counter[str]] = {m: Counter() for m in labels}
    per_month = (
        described.filter(created_at__gte=_day_start(first))
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "category", "restricted", "described", "involved")
        .annotate(n=Count("pk"))
    )
    for row in per_month:
        month = f"{row['month']:%Y-%m}"
        if month in by_month:
            by_month[month][label(row, "category", category_label)] += row["n"]
    return Stats(
        months=labels,
        by_month=by_month,
        by_category=by_category,
        by_outcome=by_outcome,
        open_by_age=[(name, totals[f"age{i}"]) for i, name in enumerate(buckets)],
        days_to_triage=_median_days(cases, "created_at", "triaged_at"),
        days_to_close=_median_days(cases, "created_at", "closed_at"),
        total=totals["total"],
        open=totals["open"],
        restricted=totals["restricted"],
        in_months=totals["in_months"],
    )


def retention_due(user: Any, today: dt.date | None = None) -> list[Case]:
    return list(retention.due(today or timezone.localdate()).filter(pk__in=manageable(user).values("pk")))


def _task_due(due_on: dt.date, today: dt.date) -> str:
    """When, in words: "is due tomorrow", "is due on Friday 4 December", "was due on 27 November"."""
    if due_on < today:
        return f"was due on {due_on:%-d %B}"
    if due_on == today:
        return "is due today"
    if due_on == today + dt.timedelta(days=1):
        return "is due tomorrow"
    return f"is due on {due_on:%A %-d %B}"


def reminders(user: Any) -> list[Any]:
    """Home-page and digest items. They name a case by reference only."""
    from socialguard.identity.permissions import can
    from socialguard.policies.reminders import Reminder

    if not can(user, "cases.manage"):
        return []
    today = timezone.localdate()
    items = []
    # Counted, with the first six named: at a college group's size thousands wait.
    waiting = manageable(user).filter(status=Status.NEW).order_by()
    two_days_ago = dt.datetime.combine(
        today - dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    counted = waiting.aggregate(n=Count("pk"), late=Count("pk", filter=Q(created_at__lt=two_days_ago)))
    if counted["n"]:
        n = counted["n"]
        first = list(waiting.order_by("-created_at", "-pk").values_list("reference", flat=True)[:6])
        more = f",+{n - len(first)}" if n > len(first) else ""
        items.append(
            Reminder(
                # New reports or triaged ones change it, so the digest tells of a change.
                "cases:new:" + ",".join(first) + more,
                f"{n} new report{'s' if n != 1 else ''} to triage",
                ", ".join(first) + ("…" if n > len(first) else ""),
                reverse("incidents:list") + "?status=new",
                "overdue" if counted["late"] else "due",
            )
        )
    for task in Task.objects.filter(
        assignee=user,
        done_at__isnull=True,
        due_on__lte=today + dt.timedelta(days=3),
        case__in=manageable(user).values("pk"),
    ).select_related("case"):
        items.append(
            Reminder(
                f"cases:task:{task.pk}",
                f"Your task on case {task.case.reference} {_task_due(task.due_on, today)}",
                # What the task says can be confidential, and this text is emailed too.
                "Open the case to see what it is (tasks are not shown in lists or emails).",
                reverse("incidents:case", args=[task.case_id]),
                "overdue" if task.due_on < today else "due",
            )
        )
    due = retention_due(user, today) if can(user, "cases.retention") else []
    if due:
        items.append(
            Reminder(
                "cases:retention:" + ",".join(c.reference for c in due),
                f"{len(due)} closed case{'s' if len(due) != 1 else ''} past retention",
                f"Review and anonymise {'it' if len(due) == 1 else 'them'}.",
                reverse("incidents:retention"),
                "due",
            )
        )
    return items


def case_dict(user: Any, case: Case, detail: bool = False, *, level: Access | None = None) -> dict[str, Any]:
    """A case as `user` may see it, for the API and `socialguard cases show`: a stub or the
    reporter's own view without full access; with `detail`, its people, chronology, files,
    referrals and tasks as `case_view` filters them. `level`: `access(user, case)` where the
    caller has worked it out already (`case_dicts`)."""
    if level is None:
        level = access(user, case)
    base: dict[str, Any] = {
        "id": case.pk,
        "reference": case.reference,
        "access": {Access.FULL: "full", Access.STUB: "stub", Access.REPORTER: "reporter"}[level],
        "restricted": case.restricted,
        "status": case.status if level == Access.FULL else ("open" if case.is_open else "closed"),
        "created_at": case.created_at,
        "closed_at": case.closed_at,
    }
    if level == Access.REPORTER:
        base.update(category=case.category, summary=case.summary)
    if level != Access.FULL:
        return base
    base.update(
        category=case.category,
        severity=case.severity or None,
        summary=case.summary,
        outcome=case.outcome or None,
        investigator=case.investigator.email if case.investigator else None,
    )
    if detail:
        view = case_view(user, case)
        base.update(
            people=[{"name": p.display_name, "role": p.role, "kind": p.kind} for p in case.parties.all()],
            entries=[
                {"on": e.happened_on, "kind": e.kind, "text": e.text, "restricted": e.restricted}
                for e in view.entries
            ],
            evidence=[
                {
                    "id": f.pk,
                    "name": f.original_name,
                    "type": f.content_type,
                    "size": f.size,
                    "sha256": f.sha256,
                }
                for f in view.evidence
            ],
            referrals=[
                {
                    "id": r.pk,
                    "agency": r.agency,
                    "referred_on": r.referred_on,
                    "reference": r.reference,
                    "response": r.response,
                    "response_on": r.response_on,
                }
                for r in view.referrals
            ],
            tasks=[
                {"id": t.pk, "text": t.text, "due_on": t.due_on, "done": t.done_at is not None}
                for t in view.tasks
            ],
            hidden_parts=view.hidden_parts,
            allowed_actions=allowed_actions(case, user),
        )
    return base


def case_dicts(user: Any, cases: Sequence[Case]) -> list[dict[str, Any]]:
    """`case_dict` for a page of cases in a fixed number of queries: who is involved in which is
    read once for the page, not once per case."""
    involved = involved_in(user, cases)
    return [case_dict(user, c, level=access(user, c, involved=c.pk in involved)) for c in cases]
