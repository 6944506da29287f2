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


def test_an_approved_post_published_by_hand_is_discarded_only_once_someone_says_it_is_not_out(
    team: dict[str, Any],
) -> None:
    from click.testing import CliRunner
    from django.test import Client

    from socialguard.cli import main
    from socialguard.identity.models import TokenScope
    from socialguard.identity.services import token_create
    from tests.conftest import sign_in

    # A runner may have published it by hand and not yet recorded the link.
    draft = approved(team)
    with pytest.raises(ValidationError) as refused:
        services.draft_discard(actor=team["runner"], draft=draft)
    assert "not_done_by_hand" in refused.value.message_dict
    page = sign_in(Client(), team["runner"]).get(f"/posts/{draft.pk}/").content.decode()
    assert 'name="not_done_by_hand"' in page and "I looked: it is not on" in page
    # The web, the API and the command line each ask, then discard.
    author = sign_in(Client(), team["runner"])
    author.post(f"/posts/{draft.pk}/discard/", {"reason": ""})
    draft.refresh_from_db()
    assert draft.state == State.APPROVED
    author.post(f"/posts/{draft.pk}/discard/", {"reason": "", "not_done_by_hand": "yes"})
    draft.refresh_from_db()
    assert draft.state == State.DISCARDED
    # Its page promises no publishing time, and does not say the post changed.
    page = author.get(f"/posts/{draft.pk}/").content.decode()
    assert (
        "To publish on" not in page and "the post changed" not in page and "no longer counts, since" in page
    )

    by_api = approved(team)
    token = token_create(user=team["smt"], name="t", scope=TokenScope.READ_WRITE).secret
    url, auth = f"/api/v1/posts/drafts/{by_api.pk}/discard", {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    refused_api = Client().post(url, {"reason": "Cancelled"}, content_type="application/json", **auth)
    assert refused_api.status_code == 400 and "not_done_by_hand" in refused_api.content.decode()
    body = {"reason": "Cancelled", "not_done_by_hand": True}
    assert Client().post(url, body, content_type="application/json", **auth).status_code == 200

    by_cli = approved(team)
    command = ["posts", "discard", str(by_cli.pk), "--as", "ben@dmm.example", "--reason", "Cancelled"]
    assert CliRunner().invoke(main, command).exit_code == 1
    done = CliRunner().invoke(main, [*command, "--not-done-by-hand"])
    assert done.exit_code == 0, done.output
    by_cli.refresh_from_db()
    assert by_cli.state == State.DISCARDED


def test_an_approved_deletion_done_by_hand_asks_whether_the_post_is_still_there(team: dict[str, Any]) -> None:
    from django.test import Client

    from socialguard.content.models import Kind
    from tests.conftest import sign_in

    post = draft_record_manual_publication(
        actor=team["runner"],
        draft=approved(team),
        url="https://www.linkedin.com/feed/update/urn:li:activity:2",
    )
    deletion = services.draft_approve(
        actor=team["smt"],
        draft=submitted(team, "Wrong date: remove it", account="linkedin", kind=Kind.DELETION, corrects=post),
    )
    assert deletion.state == State.APPROVED
    with pytest.raises(ValidationError) as refused:
        services.draft_discard(actor=team["runner"], draft=deletion)
    assert "removed from" in str(refused.value.message_dict["not_done_by_hand"])
    page = sign_in(Client(), team["runner"]).get(f"/posts/{deletion.pk}/").content.decode()
    assert "I looked: the post is still on" in page
    services.draft_discard(actor=team["runner"], draft=deletion, not_done_by_hand=True)
