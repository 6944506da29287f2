"""Who sees which draft and which archived post (one rule for web, API and CLI), and the queues."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from socialguard.content import access, selectors, services
from tests.content.conftest import submitted, write


def test_drafts_are_seen_by_author_runners_and_smt_only(team: dict[str, Any]) -> None:
    draft = write(team)
    for who in ("runner", "runner2", "smt"):
        assert access.may_see_draft(team[who], draft), who
    for who in ("outsider", "auditor"):
        assert not access.may_see_draft(team[who], draft), who


def test_my_drafts_and_the_approval_queue(team: dict[str, Any]) -> None:
    mine = submitted(team)
    review = submitted(team, "Our statement on the tribunal claim against DMM ^BT")
    assert set(selectors.my_drafts(team["runner"])) == {mine, review}
    assert list(selectors.my_drafts(team["runner2"])) == []
    # A runner may approve the pass post, not the one for a senior leader; never their own.
    assert [i.draft for i in selectors.approval_queue(team["runner2"])] == [mine]
    assert [i.draft for i in selectors.approval_queue(team["smt"])] == [mine, review]
    assert selectors.approval_queue(team["runner"]) == []
    assert selectors.approval_queue(team["outsider"]) == []


def test_the_calendar_groups_scheduled_posts_by_day(team: dict[str, Any]) -> None:
    when = timezone.now() + dt.timedelta(days=2)
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team, publish_at=when))
    days = selectors.calendar(team["runner"], start=timezone.localdate())
    assert days == {timezone.localdate(when): [draft]}
    assert selectors.calendar(team["outsider"], start=timezone.localdate()) == {}
