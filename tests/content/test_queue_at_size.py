"""The approval queue at size (issue 21): its count is taken in the database, and the queue, the
count, the blocked list and the posts to publish by hand run the same number of queries for twice
as many posts, with the same answers as asking about each post on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.content import selectors, services
from socialguard.content.models import CheckResult, Draft, FindingOverride, Kind, State
from socialguard.people.models import StaffMember

TEXT = "Open evening on Tuesday: come and see the workshops. ^BT"
FINDING = {"rule": "X001", "name": "example", "start": 0, "end": 4, "category": "other"}


def _grow(team: dict[str, Any], n: int) -> None:
    """`n` submitted posts of each shape that decides who may approve: a plain pass, one the check
    sends to review, a pass with a controversial finding, one blocked, one blocked but overridden,
    a reply to criticism, a correction, one for an account the runners do not run, one written by
    SMT; and approved posts on LinkedIn (no connector) to publish by hand."""
    tutor = StaffMember.objects.get(user=team["runner"])
    boss = StaffMember.objects.get(user=team["smt"])
    other = team["linkedin"].__class__.objects.create(
        platform="instagram", handle=f"@other_{Draft.objects.count()}", login_email="o@dmm.example"
    )
    shapes: list[tuple[dict[str, Any], list[dict[str, Any]], str]] = [
        ({}, [], "pass"),
        ({}, [{**FINDING, "severity": "review"}], "review"),
        ({}, [{**FINDING, "severity": "advice", "category": "controversial"}], "pass"),
        ({}, [{**FINDING, "severity": "block"}], "block"),
        ({"text": "Open" + TEXT}, [{**FINDING, "severity": "block"}], "block"),  # overridden below
        ({"reply_to_criticism": True}, [], "pass"),
        ({"kind": Kind.CORRECTION}, [], "pass"),
        ({"account": other}, [], "pass"),
        ({"author": boss}, [], "pass"),
    ]
    made = []
    for _ in range(n):
        for fields, findings, verdict in shapes:
            draft = Draft.objects.create(
                **{
                    "account": team["account"],
                    "author": tutor,
                    "text": TEXT,
                    "state": State.SUBMITTED,
                    **fields,
                }
            )
            CheckResult.objects.create(
                draft=draft,
                verdict=verdict,
                findings=findings,
                content_hash="0" * 64,
                checked_at=timezone.now(),
            )
            made.append(draft)
        overridden = made[-5]
        FindingOverride.objects.create(
            draft=overridden, rule="X001", start=0, end=4, excerpt=overridden.text[:4], reason="fine",
            by=team["smt"], at=timezone.now(),
        )  # fmt: skip
        Draft.objects.create(account=team["linkedin"], author=tutor, text=TEXT, state=State.APPROVED)


def _by_post(user: Any) -> tuple[list[int], int]:
    """The queue as asking about each visible submitted post on its own gives it."""
    ids, senior = [], 0
    for draft in selectors._submitted(user):
        need = selectors.requirement_of(draft)
        if services.approval_refusal(user, draft, need) is None:
            ids.append(draft.pk)
            senior += need.senior
    return ids, senior


PEOPLE = ["runner", "runner2", "smt", "smt2", "outsider", "auditor"]


@pytest.mark.parametrize("who", PEOPLE)
def test_the_count_and_the_queue_agree_with_each_post_asked_on_its_own(
    team: dict[str, Any], who: str
) -> None:
    _grow(team, 2)
    user = team[who]
    ids, senior = _by_post(user)
    assert [i.draft.pk for i in selectors.approval_queue(user)] == ids
    assert selectors.approval_queue_count(user) == selectors.QueueCount(len(ids), senior)
    blocked = [i.draft.pk for i in selectors.awaiting_override(user)]
    assert len(blocked) == (2 if who in ("smt", "smt2") else 0)


def test_each_shape_is_where_it_belongs(team: dict[str, Any]) -> None:
    _grow(team, 1)
    # A runner approves plain passes not their own (here SMT's); SMT everything but what is
    # blocked and their own.
    assert selectors.approval_queue_count(team["runner2"]) == selectors.QueueCount(2, 0)
    assert selectors.approval_queue_count(team["smt"]) == selectors.QueueCount(7, 5)
    assert selectors.approval_queue_count(team["smt2"]) == selectors.QueueCount(8, 5)
    assert selectors.approval_queue_count(team["runner"]) == selectors.QueueCount(1, 0)


def _read(found: Any) -> object:
    return list(found) if hasattr(found, "__iter__") else found


def _queries(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


@pytest.mark.parametrize("who", ["runner2", "smt"])
@pytest.mark.parametrize(
    "read", ["approval_queue", "approval_queue_count", "awaiting_override", "manual_to_publish"]
)
def test_the_queues_run_the_same_queries_for_twice_the_posts(
    team: dict[str, Any], who: str, read: str
) -> None:
    user, counts = team[who], []
    getattr(selectors, read)(user)  # what is read once per person (their roles) is read here
    for _ in range(2):
        _grow(team, 3)
        counts.append(_queries(lambda: _read(getattr(selectors, read)(user))))
    assert counts[0] == counts[1], counts
