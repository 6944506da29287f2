"""Takedowns on the home page at size (issue 21): counted in one query for the people who may
confirm them, not a query per takedown for its account's runners."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialguard.consent import access
from socialguard.consent.models import Takedown
from socialguard.consent.pages import reminders
from socialguard.content.models import PublishedPost
from socialguard.content.tasks import publish_draft
from tests.consent.test_withdraw import approved, withdraw


def _more(takedown: Takedown, n: int) -> None:
    Takedown.objects.bulk_create(
        Takedown(
            withdrawal=takedown.withdrawal,
            account=takedown.account,
            post=takedown.post,
            created_at=takedown.created_at,
        )
        for _ in range(n)
    )


def _title(user: Any) -> str:
    return next((r.title for r in reminders(user) if "to take down" in r.title), "")


def test_takedowns_are_counted_in_a_fixed_number_of_queries(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = approved(team)
    publish_draft.call(draft_id=draft.pk)
    assert PublishedPost.objects.filter(draft=draft).exists()
    withdraw(team)
    takedown = Takedown.objects.get()
    counts = []
    for n in (4, 8):
        _more(takedown, n)
        reminders(team["runner"])  # what is read once per person
        with CaptureQueriesContext(connection) as captured:
            reminders(team["runner"])
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert _title(team["runner"]) == "13 posts to take down: consent withdrawn"
    assert _title(team["smt"]) == "13 posts to take down: consent withdrawn"
    assert _title(team["outsider"]) == ""  # runs no account


def test_confirmable_is_may_confirm_takedown_for_each(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = approved(team)
    publish_draft.call(draft_id=draft.pk)
    withdraw(team)
    every = Takedown.objects.all()
    for who in ("runner", "runner2", "smt", "outsider", "auditor"):
        user = team[who]
        expected = {t.pk for t in every if access.may_confirm_takedown(user, t.account)}
        assert set(access.confirmable(user, every).values_list("pk", flat=True)) == expected, who
