"""Discarding a draft: its words, links, media and check are deleted for good; its history and
the audit trail say who discarded it and why; a scheduled post is not published; only its author
or SMT discard it, and never once publishing has begun."""

from __future__ import annotations

import io
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from PIL import Image

from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.content import media, services
from socialguard.content.models import CheckResult, DraftMedia, State
from socialguard.content.tasks import publish_draft
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.policies.models import FindingDismissal
from tests.conftest import sign_in
from tests.content.conftest import GOOD, submitted, write

DISCLOSURE = "One of our learners told me today she is scared to go home. What do I do? ^BT"


def _photo(team: dict[str, Any], draft: Any) -> DraftMedia:
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(png, "PNG")
    return services.draft_add_media(
        actor=team["runner"],
        draft=draft,
        name="room.png",
        stream=io.BytesIO(png.getvalue()),
        shown_answer="none",
    )


def test_the_author_discards_and_nothing_of_the_words_is_left(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = write(team, DISCLOSURE, links=["https://example.org/help"])
    item = _photo(team, draft)
    stored = media.storage_dir() / item.stored_name
    assert stored.exists() and CheckResult.objects.filter(draft=draft).exists()
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_discard(actor=team["runner"], draft=draft)
    draft.refresh_from_db()
    assert draft.state == State.DISCARDED
    assert draft.text == "" and draft.links == [] and draft.reply_to == ""
    assert not DraftMedia.objects.filter(draft=draft).exists() and not stored.exists()
    assert not CheckResult.objects.filter(draft=draft).exists()
    event = draft.events.get(kind="discarded")
    assert event.actor == team["runner"]
    audit = AuditEvent.objects.get(action="content.discarded", object_id=str(draft.pk))
    assert audit.after["was"] == "draft" and audit.after["media_deleted"] == 1
    assert "scared" not in str(audit.after) and "scared" not in str(audit.before)
    # Discarded is final: no edit, no submit, no second discard.
    with pytest.raises(ValidationError):
        services.draft_save(actor=team["runner"], draft=draft, text=GOOD)
    with pytest.raises(ValidationError):
        services.draft_submit(actor=team["runner"], draft=draft)
    with pytest.raises(ValidationError):
        services.draft_discard(actor=team["runner"], draft=draft)


def test_a_scheduled_post_discarded_is_not_published(team: dict[str, Any]) -> None:
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    assert draft.state == State.SCHEDULED
    services.draft_discard(actor=team["runner"], draft=draft, reason="The event was cancelled")
    assert publish_draft.call(draft_id=draft.pk) == "nothing to publish"
    assert team["platform"].texts == {}
    assert draft.approvals.get().withdrawn_at is not None


def test_smt_discard_anyone_s_draft_saying_why_and_others_may_not(team: dict[str, Any]) -> None:
    draft = submitted(team, DISCLOSURE)
    # Another runner approves it, but does not discard it: it is not theirs.
    for who in ("runner2", "outsider", "auditor"):
        with pytest.raises(PermissionDenied):
            services.draft_discard(actor=team[who], draft=draft, reason="not mine")
    with pytest.raises(ValidationError) as refused:
        services.draft_discard(actor=team["smt"], draft=draft)
    assert "say why" in str(refused.value)
    with pytest.raises(ValidationError):
        services.draft_discard(actor=team["smt"], draft=draft, reason="x" * 1001)
    services.draft_discard(actor=team["smt"], draft=draft, reason="A disclosure: passed to the DSL")
    draft.refresh_from_db()
    assert draft.state == State.DISCARDED
    assert draft.events.get(kind="discarded").comment == "A disclosure: passed to the DSL"


def test_excerpts_quoted_by_dismissals_and_overrides_go_too(team: dict[str, Any]) -> None:
    from django.utils import timezone

    draft = submitted(team, DISCLOSURE)
    FindingDismissal.objects.create(
        draft=draft, rule="XX001", start=0, end=5, excerpt="scared to go home", reason="r", by=team["smt"],
        at=timezone.now(),
    )  # fmt: skip
    draft.overrides.create(
        rule="XX002", start=0, end=5, excerpt="scared", reason="r", by=team["smt"], at=timezone.now()
    )
    services.draft_discard(actor=team["runner"], draft=draft)
    assert list(FindingDismissal.objects.filter(draft=draft).values_list("excerpt", flat=True)) == [""]
    assert list(draft.overrides.values_list("excerpt", flat=True)) == [""]


def test_published_posts_are_not_discarded(team: dict[str, Any]) -> None:
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    publish_draft.call(draft_id=draft.pk)
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.draft_discard(actor=team["smt"], draft=draft, reason="too late")
    assert "a deletion removes a published post" in str(refused.value)


def test_the_web_page_discards_and_the_lists_leave_it_out(team: dict[str, Any]) -> None:
    draft = write(team, DISCLOSURE)
    author = sign_in(Client(), team["runner"])
    page = author.get(f"/posts/{draft.pk}/").content.decode()
    assert "Discard this post" in page and f"/posts/{draft.pk}/discard/" in page
    other_runner = sign_in(Client(), team["runner2"])
    assert "Discard this post" not in other_runner.get(f"/posts/{draft.pk}/").content.decode()
    assert other_runner.post(f"/posts/{draft.pk}/discard/").status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.DRAFT  # refused, with a message
    response = author.post(f"/posts/{draft.pk}/discard/", {"reason": ""}, follow=True)
    assert "Discarded" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DISCARDED
    page = author.get(f"/posts/{draft.pk}/").content.decode()
    assert "scared" not in page and "Nobody will publish it" in page and "Discard this post" not in page
    assert "The text" not in page and "What you can do" not in page  # nothing left to show or do
    assert f"/posts/{draft.pk}/" not in author.get("/posts/").content.decode()
    smt = sign_in(Client(), team["smt"])
    assert f"/posts/{draft.pk}/" not in smt.get("/posts/").content.decode()


def test_the_api_and_the_cli_discard(team: dict[str, Any]) -> None:
    by_api = write(team, DISCLOSURE)
    token = token_create(user=team["smt"], name="t", scope=TokenScope.READ_WRITE).secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/posts/drafts/{by_api.pk}/discard"
    refused = Client().post(url, {}, content_type="application/json", **auth)
    assert refused.status_code == 400 and "say why" in refused.content.decode()
    done = Client().post(url, {"reason": "Passed to the DSL"}, content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["state"] == "discarded" and done.json()["text"] == ""
    by_cli = write(team, DISCLOSURE)
    result = CliRunner().invoke(main, ["posts", "discard", str(by_cli.pk), "--as", "ben@dmm.example"])
    assert result.exit_code == 0, result.output
    by_cli.refresh_from_db()
    assert by_cli.state == State.DISCARDED and by_cli.text == ""
