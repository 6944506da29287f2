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
    draft = services.draft_request_changes(
        actor=team["runner2"], draft=draft, comment="Take out 'scared to go home' and tell the DSL"
    )
    _photo(team, draft)
    services.draft_discard(actor=team["runner"], draft=draft)
    assert list(FindingDismissal.objects.filter(draft=draft).values_list("excerpt", flat=True)) == [""]
    assert list(draft.overrides.values_list("excerpt", flat=True)) == [""]
    # Nor does the post's history quote it, or name its photos.
    quoted = draft.events.filter(kind__in=["changes_requested", "media_added"])
    assert quoted.count() == 2 and set(quoted.values_list("comment", flat=True)) == {""}
    assert draft.events.get(kind="discarded")  # what is left: who did what, and when


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


def test_a_post_whose_publishing_was_tried_is_not_discarded_until_changed(team: dict[str, Any]) -> None:
    from socialguard.connectors import PlatformUnavailable

    # The platform took the post but its answer was lost: the draft waits to be tried again.
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    team["platform"].fail_next = [PlatformUnavailable("Bluesky did not answer")]
    assert publish_draft.call(draft_id=draft.pk) == "retrying"
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED and draft.record_key
    with pytest.raises(ValidationError) as refused:
        services.draft_discard(actor=team["smt"], draft=draft, reason="no longer wanted")
    assert "may be on" in str(refused.value) and "try it again" in str(refused.value)
    page = sign_in(Client(), team["runner"]).get(f"/posts/{draft.pk}/").content.decode()
    assert "Discard this post" not in page and "it may already be on" in page
    # Changed, it is new content with no record key: now it may go.
    draft = services.draft_save(actor=team["runner"], draft=draft, text=GOOD + " Apply now!")
    assert draft.record_key == ""
    services.draft_discard(actor=team["runner"], draft=draft)


def test_a_worker_that_hung_while_publishing_does_not_bring_a_discarded_draft_back(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from socialguard.connectors import AuthenticationFailed
    from socialguard.content import publishing
    from socialguard.content.models import Draft, PublishedPost
    from socialguard.content.tasks import send_stray_post_notice

    # The draft is discarded while a worker waits on the platform (a hung call; its tries ran out
    # meanwhile). Whatever the platform answers, the discarded draft stays discarded: nothing is
    # archived, no failure is recorded, and a post that went out is taken down and people told.
    for outcome in ("published", "refused"):
        draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
        prepared = publishing._prepare(draft.pk)
        assert not isinstance(prepared, str)
        Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)  # the tries ran out
        services.draft_save(actor=team["runner"], draft=Draft.objects.get(pk=draft.pk), text=GOOD + "!")
        services.draft_discard(actor=team["runner"], draft=Draft.objects.get(pk=draft.pk))
        real_prepare = publishing._prepare
        monkeypatch.setattr(publishing, "_prepare", lambda _id, p=prepared: p)
        if outcome == "refused":
            team["platform"].fail_next = [AuthenticationFailed("refused")]
            assert publishing.publish(draft.pk) == "nothing to do"
        else:
            with django_capture_on_commit_callbacks(execute=True):
                assert publishing.publish(draft.pk) == publishing.MOVED_ON
            (key,) = team["platform"].posts  # it went out, and was taken down at once
            assert team["platform"].deleted == [team["platform"].posts[key].uri]
        monkeypatch.setattr(publishing, "_prepare", real_prepare)
        draft.refresh_from_db()
        assert draft.state == State.DISCARDED and draft.last_error == ""
        assert not PublishedPost.objects.filter(draft=draft).exists()
        if outcome == "published":  # its history, the trail and the people say what happened
            assert "socialguard removed it there" in draft.events.get(kind="published_unrecorded").comment
            audit = AuditEvent.objects.get(action="content.published_unrecorded", object_id=str(draft.pk))
            assert audit.after["removed"] is True
            assert send_stray_post_notice.call(draft_id=draft.pk, where="u", removed=True) == 3
            assert all("removed it" in m.body and GOOD not in m.body for m in mail.outbox)


def test_a_late_post_that_cannot_be_removed_tells_people_to_delete_it(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from socialguard.connectors import PlatformUnavailable
    from socialguard.content import publishing
    from socialguard.content.models import Draft
    from socialguard.content.tasks import send_stray_post_notice

    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    prepared = publishing._prepare(draft.pk)
    assert not isinstance(prepared, str)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)
    services.draft_save(actor=team["runner"], draft=Draft.objects.get(pk=draft.pk), text=GOOD + " New.")
    monkeypatch.setattr(publishing, "_prepare", lambda _id: prepared)
    real_publish = prepared[1].publish

    def publish_then_go_down(post: Any) -> Any:
        record = real_publish(post)
        team["platform"].fail_next = [PlatformUnavailable("Bluesky did not answer")]  # the delete
        return record

    monkeypatch.setattr(prepared[1], "publish", publish_then_go_down)
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish(draft.pk) == publishing.MOVED_ON
    assert len(team["platform"].posts) == 1 and team["platform"].deleted == []  # still there
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED  # the changed content waits for its own approval
    comment = draft.events.get(kind="published_unrecorded").comment
    assert "could not remove it (Bluesky did not answer): delete it there" in comment
    task = DBTaskResult.objects.filter(task_path__endswith="send_stray_post_notice").get()
    assert task.args_kwargs["kwargs"]["removed"] is False
    assert send_stray_post_notice.call(**task.args_kwargs["kwargs"]) == 3
    assert all("Delete it on the platform now" in m.body for m in mail.outbox)


def test_a_late_answer_while_a_retry_waits_archives_the_unchanged_post(team: dict[str, Any]) -> None:
    from socialguard.content import publishing
    from socialguard.content.models import Draft, PublishedPost

    # Task A hangs on the platform; its tries run out and a runner presses Try again (same key,
    # same content). A's answer lands before the retry runs: the post is archived, and the
    # retry, finding it published, does not post it twice.
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    prepared = publishing._prepare(draft.pk)
    assert not isinstance(prepared, str)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)
    publishing.draft_retry(actor=team["runner2"], draft=Draft.objects.get(pk=draft.pk))
    record = prepared[1].publish(publishing._outgoing(prepared[0]))
    assert publishing._record(draft.pk, record, prepared[0].record_key) == "published"
    assert publish_draft.call(draft_id=draft.pk) == "nothing to publish"
    assert team["platform"].publish_calls == 1
    assert PublishedPost.objects.get(draft=draft).text == GOOD
    assert not draft.events.filter(kind="published_unrecorded").exists()


def test_a_hung_call_that_returns_after_the_tries_ran_out_still_archives_unchanged_content(
    team: dict[str, Any],
) -> None:
    from socialguard.content import publishing
    from socialguard.content.models import Draft, PublishedPost

    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    prepared = publishing._prepare(draft.pk)
    assert not isinstance(prepared, str)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)  # the tries ran out meanwhile
    record = prepared[1].publish(publishing._outgoing(prepared[0]))
    assert publishing._record(draft.pk, record, prepared[0].record_key) == "published"
    assert PublishedPost.objects.get(draft=draft).text == GOOD


def test_a_refused_password_on_a_late_answer_is_kept_for_a_post_already_failed(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialguard.connectors import AuthenticationFailed
    from socialguard.content import publishing
    from socialguard.content.models import Draft

    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    prepared = publishing._prepare(draft.pk)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED, last_error="did not finish")
    monkeypatch.setattr(publishing, "_prepare", lambda _id: prepared)
    team["platform"].fail_next = [AuthenticationFailed("refused")]
    assert publishing.publish(draft.pk) == "failed"
    draft.refresh_from_db()
    assert draft.state == State.FAILED and draft.last_error == publishing.REFUSED_PASSWORD


def test_a_finding_judged_on_a_page_read_before_the_discard_quotes_nothing(team: dict[str, Any]) -> None:
    # The approver's page was read while the post held its words; the discard lands first.
    seen = submitted(team, "Our statement on the tribunal claim against DMM ^BT")
    finding = next(f for f in seen.check_result.findings if f["rule"] == "CT001")
    from socialguard.content.models import Draft

    services.draft_discard(actor=team["runner"], draft=Draft.objects.get(pk=seen.pk))
    with pytest.raises(ValidationError) as refused:
        services.finding_dismiss(
            actor=team["runner2"], draft=seen, rule="CT001", start=finding["start"], end=finding["end"],
            reason="A neutral mention of a claim",
        )  # fmt: skip
    assert "discarded" in str(refused.value)
    assert not FindingDismissal.objects.filter(draft=seen).exists()
