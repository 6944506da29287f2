"""A blocked post: no approval until every blocking finding has an SMT override with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.audit.models import AuditEvent
from socialguard.content import selectors, services
from socialguard.content.models import CheckResult, State
from tests.content.conftest import submitted

BIRTHDAY = "Happy birthday Sam, born 03/05/2008! ^BT"


def _finding(draft: Any) -> dict[str, Any]:
    return next(f for f in CheckResult.objects.get(draft=draft).findings if f["rule"] == "PD004")


def test_a_blocked_post_is_approved_only_after_an_smt_override(team: dict[str, Any]) -> None:
    draft = submitted(team, BIRTHDAY)
    for who in ("runner2", "smt"):
        with pytest.raises(ValidationError, match="PD004"):
            services.draft_approve(actor=team[who], draft=draft)
    f = _finding(draft)
    with pytest.raises(PermissionDenied):
        services.draft_override(
            actor=team["runner2"],
            draft=draft,
            rule="PD004",
            start=f["start"],
            end=f["end"],
            reason="it is fine really",
        )
    with pytest.raises(ValidationError) as short:
        services.draft_override(
            actor=team["smt"], draft=draft, rule="PD004", start=f["start"], end=f["end"], reason="ok"
        )
    assert "reason" in short.value.message_dict
    override = services.draft_override(
        actor=team["smt"],
        draft=draft,
        rule="PD004",
        start=f["start"],
        end=f["end"],
        reason="Sam is staff, 18+, and asked us to share the date",
    )
    assert override.excerpt == BIRTHDAY[f["start"] : f["end"]]
    event = AuditEvent.objects.get(action="content.finding_overridden")
    assert event.after["reason"] == "Sam is staff, 18+, and asked us to share the date"
    # Shown with the finding wherever the post is shown.
    (view,) = [v for v in selectors.findings_of(draft) if v.finding["rule"] == "PD004"]
    assert view.override == override
    # Overridden: a senior leader approves, not a runner.
    with pytest.raises(PermissionDenied, match="overridden"):
        services.draft_approve(actor=team["runner2"], draft=draft)
    assert services.draft_approve(actor=team["smt2"], draft=draft).state == State.SCHEDULED


def test_an_override_covers_those_words_only(team: dict[str, Any]) -> None:
    draft = submitted(team, BIRTHDAY)
    f = _finding(draft)
    services.draft_override(
        actor=team["smt"],
        draft=draft,
        rule="PD004",
        start=f["start"],
        end=f["end"],
        reason="agreed with Sam in writing",
    )
    draft = services.draft_save(
        actor=team["runner"], draft=draft, text="Happy birthday Sam, born 04/05/2008! ^BT"
    )
    with pytest.raises(ValidationError, match="PD004"):
        services.draft_approve(actor=team["smt"], draft=draft)


def test_only_a_current_blocking_finding_is_overridden(team: dict[str, Any]) -> None:
    draft = submitted(team, "Our statement on the tribunal claim against DMM ^BT")
    with pytest.raises(ValidationError, match="does not block"):
        services.draft_override(
            actor=team["smt"], draft=draft, rule="CT001", start=21, end=29, reason="long enough reason"
        )
    with pytest.raises(ValidationError, match="no PD004"):
        services.draft_override(
            actor=team["smt"], draft=draft, rule="PD004", start=0, end=3, reason="long enough reason"
        )


def test_smt_see_blocked_posts_waiting_for_an_override(team: dict[str, Any]) -> None:
    draft = submitted(team, BIRTHDAY)
    assert [i.draft for i in selectors.awaiting_override(team["smt"])] == [draft]
    assert selectors.awaiting_override(team["runner2"]) == []
    assert selectors.approval_queue(team["smt"]) == []
