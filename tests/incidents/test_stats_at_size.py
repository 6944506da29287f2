""" "Reports received" at size (issue 21): the figures are counted in the database, in the same
number of queries for twice the cases, and they are the figures a walk over every case gives."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.incidents import selectors
from socialguard.incidents.models import Case, Category, Outcome, Status
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

CATEGORIES = [c for c, _ in Category.choices]
OUTCOMES = [o for o, _ in Outcome.choices]
# Ages in days and hours that fall either side of each bucket's edge and of the chart's window.
AGES = [0, 1, 6, 7, 8, 29, 30, 31, 89, 90, 91, 200, 340, 370, 800]


def _grow(n: int, seed: int) -> None:
    now = timezone.now()
    rows = []
    for i in range(n):
        created = now - dt.timedelta(days=AGES[i % len(AGES)], hours=(i * 7) % 23)
        closed = i % 3 == 0
        rows.append(
            Case(
                reference=f"ST-{seed}-{i}",
                category=CATEGORIES[i % len(CATEGORIES)],
                restricted=i % 5 == 0,
                status=Status.CLOSED if closed else [Status.NEW, Status.TRIAGED][i % 2],
                summary="s",
                created_at=created,
                triaged_at=created + dt.timedelta(hours=1 + i % 50) if i % 4 else None,
                closed_at=created + dt.timedelta(days=1 + i % 9, hours=i % 5) if closed else None,
                outcome=OUTCOMES[i % len(OUTCOMES)] if closed else "",
            )
        )
    Case.objects.bulk_create(rows)


def _walked(reader: Any, months: int = 12) -> selectors.Stats:
    """The figures as the page worked them out before: one case at a time. A case `reader` may
    not read in full (`access`, asked case by case) is counted under what its row says instead."""
    from socialguard.incidents.access import Access, access, is_involved, reads_safeguarding

    ordinary_hidden = selectors.SMT_ONLY_ROW if reads_safeguarding(reader) else selectors.NOT_SHARED_ROW
    today = timezone.localdate()
    back = today.year * 12 + today.month - 1 - (months - 1)
    cursor, labels = dt.date(back // 12, back % 12 + 1, 1), []
    while cursor <= today:
        labels.append(f"{cursor:%Y-%m}")
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    by_month: dict[str, Counter[str]] = {m: Counter() for m in labels}
    by_category: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    triage, close = [], []
    total = opened = restricted = in_months = 0
    for case in Case.objects.all():
        total += 1
        restricted += case.restricted
        hidden = access(reader, case) != Access.FULL
        if case.restricted:
            hidden_label = selectors.RESTRICTED_LABEL
        else:
            hidden_label = selectors.NOT_SHARED_ROW if is_involved(reader, case) else ordinary_hidden
        label = hidden_label if hidden else case.get_category_display()
        by_category[label] += 1
        month = f"{timezone.localdate(case.created_at):%Y-%m}"
        if month in by_month:
            by_month[month][label] += 1
            in_months += 1
        if case.outcome:
            by_outcome[hidden_label if hidden else case.get_outcome_display()] += 1
        if case.triaged_at:
            triage.append(case.triaged_at - case.created_at)
        if case.closed_at:
            close.append(case.closed_at - case.created_at)
        if case.is_open:
            opened += 1
            age = (today - timezone.localdate(case.created_at)).days
            for limit, name in selectors.AGE_BUCKETS:
                if limit is None or age < limit:
                    ages[name] += 1
                    break

    def median(spans: list[dt.timedelta]) -> float | None:
        return round(statistics.median(s.total_seconds() for s in spans) / 86400, 1) if spans else None

    return selectors.Stats(
        labels, by_month, by_category, by_outcome, [(n, ages[n]) for _, n in selectors.AGE_BUCKETS],
        median(triage), median(close), total, opened, restricted, in_months,
    )  # fmt: skip


@pytest.mark.parametrize("n", [0, 1, 2, 37])
@pytest.mark.parametrize("reader", ["dsl", "smt", "auditor", "involved_smt", "deputy"])
def test_the_figures_are_those_of_a_walk_over_every_case(n: int, reader: str, team: dict[str, Any]) -> None:
    from socialguard.incidents.models import Party
    from socialguard.people.models import StaffMember

    _grow(n, 1)
    # Some cases have a safeguarding part (the DSL reads those); the deputy and Ivy, an SMT
    # member, are each a party to some (and so read none of those).
    cases = list(Case.objects.order_by("pk"))
    Case.objects.filter(pk__in=[c.pk for c in cases[1::3]]).update(safeguarding_part=True)
    for case in cases[::4]:
        Party.objects.create(case=case, staff=team["ivy"], role="subject")
    deputy = StaffMember.objects.create(
        external_id="S-DEP", first_name="Dep", last_name="Uty", email="deputy@dmm.example",
        employment_type="employee", user=team["deputy"],
    )  # fmt: skip
    for case in cases[1::4]:  # restricted, with a safeguarding part, and neither
        Party.objects.create(case=case, staff=deputy, role="witness")
    assert selectors.stats(team[reader]) == _walked(team[reader])


def test_a_dsl_who_is_a_party_to_a_restricted_case_does_not_see_it_described(team: dict[str, Any]) -> None:
    from socialguard.incidents.models import Party
    from socialguard.people.models import StaffMember

    case = Case.objects.create(
        reference="ST-P-1", category="safeguarding", restricted=True, status=Status.CLOSED, summary="s",
        created_at=timezone.now(), closed_at=timezone.now(), outcome=OUTCOMES[0],
    )  # fmt: skip
    dsl = team["dsl"]
    staff = StaffMember.objects.create(
        external_id="S-DSL", first_name="Dee", last_name="Lead", email=dsl.email,
        employment_type="employee", user=dsl,
    )  # fmt: skip
    assert selectors.stats(dsl).by_outcome == Counter({case.get_outcome_display(): 1})
    Party.objects.create(case=case, staff=staff, role="subject")
    figures = selectors.stats(dsl)
    assert figures.by_outcome == Counter({selectors.RESTRICTED_LABEL: 1})
    assert figures.by_category == Counter({selectors.RESTRICTED_LABEL: 1})
    # A DSL who is not SMT reads an ordinary case without a safeguarding part as its list row does.
    Case.objects.create(reference="ST-P-2", category=CATEGORIES[0], summary="s", created_at=timezone.now())
    assert selectors.stats(dsl).by_category[selectors.SMT_ONLY_ROW] == 1


def test_reports_received_runs_the_same_queries_for_twice_the_cases(team: dict[str, Any]) -> None:
    client = sign_in(Client(), team["smt"])
    counts = []
    for seed in (1, 2):
        _grow(30, seed)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/cases/reports/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    # Counted, not read: every query of the cases counts them or reads at most a few (a median's
    # middle), none returns a row per case.
    read = [q["sql"] for q in captured.captured_queries if 'FROM "incidents_case"' in q["sql"]]
    assert read
    assert all("COUNT(" in sql or "LIMIT" in sql for sql in read), read
