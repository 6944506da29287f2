"""Training: who must do which course, when it is due or expired, and atomic CSV imports."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from socialguard.people.services import ImportFailed
from socialguard.policies import selectors, services
from socialguard.policies.models import Audience, Course, TrainingCompletion
from tests.conftest import sign_in


@pytest.fixture
def courses(people: dict[str, Any]) -> dict[str, Course]:
    smt = people["smt"]
    induction = services.course_save(
        actor=smt,
        values={
            "code": "induction",
            "name": "Induction",
            "required_for": Audience.EVERYONE,
            "refresher_months": 12,
        },
    )
    leaders = services.course_save(
        actor=smt,
        values={"code": "leaders", "name": "Leaders", "required_for": Audience.SMT, "refresher_months": None},
    )
    return {"induction": induction, "leaders": leaders}


def test_audiences(people: dict[str, Any], courses: dict[str, Course]) -> None:
    everyone = set(selectors.audience_members(Audience.EVERYONE))
    assert everyone == {people["boss"], people["tutor"], people["volunteer"]}
    people["boss"].user.role_assignments.create(role="smt")
    assert list(selectors.audience_members(Audience.SMT)) == [people["boss"]]
    assert list(selectors.audience_members(Audience.ACCOUNT_RUNNERS)) == []
    selectors.ACCOUNT_RUNNER_SOURCES.append(lambda: [people["tutor"].pk])
    try:
        assert list(selectors.audience_members(Audience.ACCOUNT_RUNNERS)) == [people["tutor"]]
    finally:
        selectors.ACCOUNT_RUNNER_SOURCES.pop()


def test_status_moves_from_due_to_ok_to_expiring_to_expired(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    boss, course, smt = people["boss"], courses["induction"], people["smt"]
    today = timezone.localdate()

    def state(day: dt.date) -> str:
        return next(s for s in selectors.training_statuses([course], staff=boss, today=day)).state

    assert state(today) == "overdue"  # started in 2020, never trained
    boss.start_date = today - dt.timedelta(days=5)
    boss.save()
    assert state(today) == "due"
    completion = services.completion_record(
        actor=smt, staff=boss, course=course, completed_on=today - dt.timedelta(days=10)
    )
    assert completion.expires_on == services.add_months(completion.completed_on, 12)
    assert state(today) == "ok"
    assert state(completion.expires_on - dt.timedelta(days=10)) == "expiring"
    assert state(completion.expires_on + dt.timedelta(days=1)) == "expired"


def test_completions_without_refresher_never_expire(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    c = services.completion_record(
        actor=people["smt"], staff=people["boss"], course=courses["leaders"], completed_on=dt.date(2020, 1, 1)
    )
    assert c.expires_on is None


def test_add_months_clamps_to_month_end() -> None:
    assert services.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert services.add_months(dt.date(2024, 11, 15), 14) == dt.date(2026, 1, 15)


def test_record_refuses_future_dates_and_duplicates(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    smt, boss, course = people["smt"], people["boss"], courses["induction"]
    with pytest.raises(ValidationError, match="in the future"):
        services.completion_record(
            actor=smt, staff=boss, course=course, completed_on=timezone.localdate() + dt.timedelta(days=1)
        )
    services.completion_record(actor=smt, staff=boss, course=course, completed_on=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError, match="already has"):
        services.completion_record(actor=smt, staff=boss, course=course, completed_on=dt.date(2025, 5, 1))


def test_import_records_every_row_and_skips_ones_already_there(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    data = (
        b"staff_id,email,course,completed_on,evidence\n"
        b"S1,,induction,2025-09-01,Cert 1\n"
        b",ben@dmm.example,INDUCTION,02/09/2025,\n"
        b"S1,,leaders,2024-01-10,\n"
    )
    assert services.completions_import(actor=people["smt"], data=data, filename="t.csv") == (3, 0)
    assert services.completions_import(actor=people["smt"], data=data, filename="t.csv") == (0, 3)
    assert TrainingCompletion.objects.get(staff=people["tutor"]).completed_on == dt.date(2025, 9, 2)


def test_a_bad_import_saves_nothing_and_says_where(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    data = (
        b"staff_id,email,course,completed_on\n"
        b"S1,,induction,2025-09-01\n"
        b"S9,,induction,2025-09-01\n"
        b",nobody@x.example,induction,2025-09-01\n"
        b"S2,,fire-safety,2025-09-01\n"
        b"S2,,induction,31/31/2025\n"
        b"S2,,induction,2999-01-01\n"
        b",,induction,2025-01-01\n"
        b"S1,,induction,2025-09-01\n"
    )
    with pytest.raises(ImportFailed) as failed:
        services.completions_import(actor=people["smt"], data=data, filename="t.csv")
    messages = [str(e) for e in failed.value.errors]
    assert messages == [
        "t.csv, row 3, field 'staff_id': no staff member has id 'S9'",
        "t.csv, row 4, field 'email': no staff member has email 'nobody@x.example'",
        "t.csv, row 5, field 'course': unknown course 'fire-safety'; known codes: induction, leaders",
        "t.csv, row 6, field 'completed_on': '31/31/2025' is not a date; write it as YYYY-MM-DD (2024-09-01) or DD/MM/YYYY (01/09/2024)",
        "t.csv, row 7, field 'completed_on': 01/01/2999 is in the future",
        "t.csv, row 8, field 'staff_id': give the staff id or email of who did the training",
        "t.csv, row 9: repeats an earlier row (same person, course and date)",
    ]
    assert not TrainingCompletion.objects.exists()


def test_coverage_lists_gaps_per_course(people: dict[str, Any], courses: dict[str, Course]) -> None:
    services.completion_record(
        actor=people["smt"],
        staff=people["tutor"],
        course=courses["induction"],
        completed_on=timezone.localdate(),
    )
    coverage = {c.course.code: c for c in selectors.training_coverage()}
    induction = coverage["induction"]
    assert (induction.required, induction.current, induction.percent) == (3, 1, 33)
    assert {g.staff.last_name for g in induction.gaps} == {"Boss", "Helper"}
    assert coverage["leaders"].required == 0 and coverage["leaders"].percent == 100


def test_the_training_page_counts_agree_and_say_what_they_count(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    """Someone expiring soon is up to date *and* has something to do: the page says both, so
    "2 of 3 up to date" and the list of people to act on do not seem to disagree."""
    today = timezone.localdate()
    smt = people["smt"]
    record = services.completion_record
    record(actor=smt, staff=people["boss"], course=courses["induction"], completed_on=today)
    expiring = services.add_months(today, -12) + dt.timedelta(days=10)
    record(actor=smt, staff=people["tutor"], course=courses["induction"], completed_on=expiring)
    page = sign_in(Client(), smt).get("/policy/training/").content.decode()
    assert "2 of 3 up to date (1 of them expires within 30 days)." in page
    assert "2 to act on: 1 not up to date, 1 expiring soon" in page
    assert " gaps<" not in page
    # Not yet due is not shown as a problem ("due" is part of "overdue": it was, in red).
    assert '<span class="tag">due by' in page and '<span class="tag">expires' in page


def test_an_import_with_thousands_of_columns_is_refused_at_once(
    people: dict[str, Any], courses: dict[str, Course]
) -> None:
    data = b"staff_id,course,completed_on," + b",".join(b"x%d" % n for n in range(100_000)) + b"\n"
    started = time.monotonic()
    with pytest.raises(ImportFailed) as failed:
        services.completions_import(actor=people["smt"], data=data, filename="t.csv")
    assert time.monotonic() - started < 2
    assert str(failed.value).startswith(
        "t.csv, row 1: has a line of 688,919 characters; lines may be at most"
    )


def test_runner_training_falls_due_from_when_they_were_named_not_when_they_joined(
    people: dict[str, Any],
) -> None:
    """A tutor who joined years ago and is named as a runner today is 'due' a grace period from
    today, not 'overdue since' their start date plus grace (the demo showed years overdue)."""
    from socialguard.accounts.models import AccountRunner, OrgAccount

    runners = services.course_save(
        actor=people["smt"],
        values={
            "code": "runners",
            "name": "Running an account",
            "required_for": Audience.ACCOUNT_RUNNERS,
            "refresher_months": None,
        },
    )
    tutor = people["tutor"]
    tutor.start_date = dt.date(2015, 9, 1)
    tutor.save()
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=tutor, active=True)
    (status,) = [s for s in selectors.training_statuses(courses=[runners]) if s.staff == tutor]
    assert status.state == "due"
    assert status.due_on == timezone.localdate() + dt.timedelta(days=runners.grace_days)
