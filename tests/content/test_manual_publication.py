"""The manual path: a platform without a connector. The approved post waits for a runner, who
publishes it by hand and records the link; the approved version is kept as the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialguard.content import selectors, services
from socialguard.content.models import State
from socialguard.content.publishing import draft_record_manual_publication
from tests.content.conftest import submitted

TEXT = "We are hiring a Digital Marketing tutor in Manchester."


def approved(team: dict[str, Any], **kw: Any) -> Any:
    return services.draft_approve(
        actor=team["runner2"], draft=submitted(team, TEXT, account="linkedin", **kw)
    )


def test_a_runner_records_the_link_and_the_approved_version_is_archived(team: dict[str, Any]) -> None:
    draft = approved(team)
    assert list(selectors.manual_to_publish(team["runner"])) == [draft]
    assert list(selectors.manual_to_publish(team["outsider"])) == []
    post = draft_record_manual_publication(
        actor=team["runner"], draft=draft, url="https://www.linkedin.com/feed/update/urn:li:activity:1"
    )
    assert post.manual and post.text == TEXT and post.recorded_by == team["runner"]
    assert post.url == post.uri == "https://www.linkedin.com/feed/update/urn:li:activity:1"
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert list(selectors.manual_to_publish(team["runner"])) == []


def test_a_post_for_later_is_not_handed_over_early(team: dict[str, Any]) -> None:
    approved(team, publish_at=timezone.now() + dt.timedelta(days=1))
    assert list(selectors.manual_to_publish(team["runner"])) == []


def test_bad_input_is_refused(team: dict[str, Any]) -> None:
    draft = approved(team)
    with pytest.raises(PermissionDenied):
        draft_record_manual_publication(actor=team["outsider"], draft=draft, url="https://linkedin.com/x")
    with pytest.raises(ValidationError) as error:
        draft_record_manual_publication(actor=team["runner"], draft=draft, url="linkedin.com/x")
    assert "url" in error.value.message_dict
    with pytest.raises(ValidationError) as later:
        draft_record_manual_publication(
            actor=team["runner"],
            draft=draft,
            url="https://linkedin.com/x",
            published_at=timezone.now() + dt.timedelta(days=1),
        )
    assert "published_at" in later.value.message_dict


def test_a_connector_platform_is_not_recorded_by_hand(team: dict[str, Any]) -> None:
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    with pytest.raises(ValidationError, match="published by socialguard"):
        draft_record_manual_publication(actor=team["runner"], draft=draft, url="https://bsky.app/x")


def test_an_unapproved_post_is_not_recorded(team: dict[str, Any]) -> None:
    draft = submitted(team, TEXT, account="linkedin")
    with pytest.raises(ValidationError, match="only an approved post"):
        draft_record_manual_publication(actor=team["runner"], draft=draft, url="https://linkedin.com/x")
