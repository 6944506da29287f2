"""Declaration and training coverage counted in the database (issue 21): the same figures, groups
and order as the row-by-row selectors they replace on the pages, and pages whose number of
queries does not grow with the staff."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.audit.services import EventSpec, audit_append_many
from socialguard.people.models import Department, StaffMember
from socialguard.policies import selectors, services
from socialguard.policies.models import Audience, Course, Declaration, TrainingCompletion
from tests.conftest import sign_in


def _add_staff(n: int, seed: int, prefix: str = "X") -> list[StaffMember]:
    """`n` staff in varied circumstances: with and without a department, start date, leave date."""
    rng = random.Random(seed)
    today = timezone.localdate()
    departments = [Department.objects.get_or_create(name=f"Dept {i}")[0] for i in range(3)]
    members = StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"{prefix}{seed}-{i}",
            first_name=rng.choice(["Ann", "Bob", "Cy"]),
            last_name=rng.choice(["Able", "Baker", "Cole", "Dee"]),
            employment_type=rng.choice(["employee", "contract_worker", "volunteer"]),
            department=rng.choice([None, *departments]),
            start_date=rng.choice([None, today - dt.timedelta(days=rng.randrange(-20, 400))]),
            leave_date=rng.choice([None, None, None, today - dt.timedelta(days=rng.randrange(-30, 30))]),
        )
        for i in range(n)
    )
    return list(StaffMember.objects.filter(pk__in=[m.pk for m in members]))


def _declare_some(version: Any, members: list[StaffMember], seed: int) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    chosen = [m for m in members if rng.random() < 0.6]
    first = (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    audit_append_many(EventSpec(at=now, action="policy.declared") for _ in chosen)
    events = list(AuditEvent.objects.filter(seq__gte=first).order_by("seq"))
    Declaration.objects.bulk_create(
        Declaration(
            staff=m,
            version=version,
            version_hash=version.text_hash,
            read_and_understood=True,
            agrees_to_comply=True,
            accepts_monitoring=True,
            declared_at=now - dt.timedelta(days=rng.randrange(0, 3)),
            audit_event=event,
        )
        for m, event in zip(chosen, events, strict=True)
    )


def _train_some(course: Course, members: list[StaffMember], seed: int) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    rows = []
    for m in members:
        for k in range(rng.choice([0, 0, 1, 2])):
            done = today - dt.timedelta(days=rng.randrange(0, 500) + k)
            expires = rng.choice([None, today + dt.timedelta(days=rng.randrange(-60, 90))])
            rows.append(TrainingCompletion(staff=m, course=course, completed_on=done, expires_on=expires))
    TrainingCompletion.objects.bulk_create(rows)


def test_declaration_summary_gives_the_figures_of_the_rows(published: dict[str, Any]) -> None:
    version = published["v1"]
    _declare_some(version, _add_staff(80, seed=1), seed=2)
    today = timezone.localdate()
    rows = selectors.declaration_rows(version)
    summary = selectors.declaration_summary(version, today)
    assert summary.overall == selectors.coverage(rows, "all")[0]
    assert summary.by_department == selectors.coverage(rows, "department")
    assert summary.by_type == selectors.coverage(rows, "employment_type")
    assert summary.trend == selectors.coverage_trend(version, rows, today)
    owed = sorted((r for r in rows if not r.declared), key=lambda r: (-r.days_owed(today), r.staff.last_name))
    listed = list(summary.outstanding)
    assert [(m.pk, m.owed_since) for m in listed] == sorted(
        [(r.staff.pk, r.owed_since) for r in owed], key=lambda p: [m.pk for m in listed].index(p[0])
    )
    assert [m.owed_since for m in listed] == [r.owed_since for r in owed]
    assert [m.last_name for m in listed] == [r.staff.last_name for r in owed]


@pytest.mark.parametrize("audience", [Audience.EVERYONE, Audience.ACCOUNT_RUNNERS, Audience.SMT])
def test_course_summaries_give_the_figures_and_order_of_training_coverage(
    people: dict[str, Any], audience: str
) -> None:
    members = _add_staff(90, seed=3)
    course = services.course_save(
        actor=people["smt"],
        values={"code": "c1", "name": "Course", "required_for": audience, "refresher_months": 12},
    )
    _train_some(course, members, seed=4)
    today = timezone.localdate()
    runners = {m.pk: today - dt.timedelta(days=i * 7) for i, m in enumerate(members[::3])}
    smt = people["smt"]
    people["boss"].user.role_assignments.create(role="smt")
    selectors.ACCOUNT_RUNNER_SOURCES.append(lambda: runners.keys())
    selectors.ACCOUNT_RUNNER_SINCE.append(lambda: runners)
    try:
        (old,) = selectors.training_coverage(today)
        (new,) = selectors.course_summaries(today)
        assert (new.required, new.current, new.expiring, new.not_current, new.percent) == (
            old.required,
            old.current,
            old.expiring,
            old.not_current,
            old.percent,
        )
        assert new.gap_count == len(old.gaps)
        shown = new.statuses(new.gaps)
        assert [(s.staff.last_name, s.state) for s in shown] == [
            (s.staff.last_name, s.state) for s in old.gaps
        ]
        assert {(s.staff.pk, s.state, s.due_on) for s in shown} == {
            (s.staff.pk, s.state, s.due_on) for s in old.gaps
        }
    finally:
        selectors.ACCOUNT_RUNNER_SOURCES.pop()
        selectors.ACCOUNT_RUNNER_SINCE.pop()
    assert smt is not None


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path", ["/policy/declarations/", "/policy/training/", "/policy/training/?course=c1"]
)
def test_coverage_pages_run_the_same_queries_for_twice_the_staff(
    published: dict[str, Any], path: str
) -> None:
    course = services.course_save(
        actor=published["smt"],
        values={"code": "c1", "name": "Course", "required_for": Audience.EVERYONE, "refresher_months": 12},
    )
    client = sign_in(Client(), published["qd"])
    counts = []
    for seed in (5, 6):
        members = _add_staff(70, seed=seed)
        _declare_some(published["v1"], members, seed=seed)
        _train_some(course, members, seed=seed)
        counts.append(_queries(client, path))
    assert counts[0] == counts[1], counts
    # A page shows at most a page of people, though more than a page of them owe something.
    page = client.get(path).content.decode()
    assert 0 < page.count('data-label="Department"') <= 50  # one per person listed
    assert selectors.declaration_summary(published["v1"]).outstanding.count() > 50
    assert selectors.course_summaries()[0].gap_count > 50
