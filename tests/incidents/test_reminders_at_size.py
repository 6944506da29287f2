"""The "new reports to triage" item at size (issue 21): counted in the database with the six
newest named; its key (kept by the digest log) no longer lists every waiting report, which at a
college group's size made a 30,000-character key from 2,500 cases read one by one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from socialguard.incidents.models import Case, Status
from socialguard.incidents.selectors import reminders

pytestmark = pytest.mark.django_db


def _new_cases(n: int, days_old: int, prefix: str) -> list[str]:
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            reference=f"{prefix}-{i:03d}",
            category="offensive",
            status=Status.NEW,
            summary="s",
            created_at=now - dt.timedelta(days=days_old, minutes=i),
        )
        for i in range(n)
    )
    return [f"{prefix}-{i:03d}" for i in range(n)]


def _item(user: Any) -> Any:
    return next(r for r in reminders(user) if r.key.startswith("cases:new:"))


def test_many_new_reports_are_counted_and_the_newest_six_named(team: dict[str, Any]) -> None:
    recent = _new_cases(40, 0, "NEW")
    item = _item(team["smt"])
    assert item.title == "40 new reports to triage"
    assert item.detail == ", ".join(recent[:6]) + "…"
    assert item.urgency == "due"  # none waits two days yet
    assert item.key == "cases:new:" + ",".join(recent[:6]) + ",+34"
    _new_cases(1, 2, "OLD")
    item = _item(team["smt"])
    assert (item.title, item.urgency) == ("41 new reports to triage", "overdue")
    assert item.key.endswith(",+35")  # one more waits: the digest sees a change


def test_a_few_new_reports_are_all_named(team: dict[str, Any]) -> None:
    refs = _new_cases(2, 1, "FEW")
    item = _item(team["smt"])
    assert (item.title, item.detail, item.key) == (
        "2 new reports to triage",
        ", ".join(refs),
        "cases:new:" + ",".join(refs),
    )
    assert item.urgency == "due"  # a day old: not yet overdue
