"""Publishing (issue 14 item 4): the task publishes the approved content at its time, exactly
once even when the worker dies after the platform answered, retries with back-off, and fails
clearly (author and SMT told) when retrying cannot help."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.accounts.models import VaultSecret
from socialguard.audit.models import AuditEvent
from socialguard.connectors import AuthenticationFailed, PlatformUnavailable, PostRejected
from socialguard.content import publishing, services
from socialguard.content.models import PublishedPost, State
from socialguard.content.tasks import publish_draft, send_publish_failed_notice
from socialguard.scheduling.jobs import run_due
from tests.content.conftest import GOOD, submitted

TASK = "socialguard.content.tasks.publish_draft"


def approved(team: dict[str, Any], text: str = GOOD, **kw: Any) -> Any:
    return services.draft_approve(actor=team["runner2"], draft=submitted(team, text, **kw))


def test_the_task_publishes_and_archives_the_approved_post(team: dict[str, Any]) -> None:
    draft = approved(team)
    assert publish_draft.call(draft_id=draft.pk) == "published"
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    post = PublishedPost.objects.get(draft=draft)
    assert post.text == GOOD and post.platform == "bluesky" and not post.manual
    assert post.uri == f"at://did:plc:dmm/app.bsky.feed.post/{draft.record_key}"
    assert post.content_hash == services.draft_hash(draft)
    assert post.drafter_name == "Ben Tutor" and post.approvers == ["Cara Helper <cara@dmm.example>"]
    assert team["platform"].texts == {draft.record_key: GOOD}
    # The app password was opened for the connector: audited as used, not revealed.
    credentials = team["platform"].signed_in_with[0]
    assert credentials.identifier == "dmm-news.bsky.social" and credentials.secret == "abcd-efgh-ijkl-mnop"
    used = AuditEvent.objects.get(action="vault.secret_used_by_connector")
    assert used.object_type == "accounts.vaultsecret" and "abcd" not in str(used.after)
    assert not AuditEvent.objects.filter(action="vault.secret_revealed").exists()
    assert AuditEvent.objects.filter(action="content.published", object_id=str(draft.pk)).exists()


def test_media_goes_out_as_stored_with_its_alt_text(team: dict[str, Any]) -> None:
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(png, "PNG")
    draft = submitted(team)
    draft = services.draft_request_changes(actor=team["runner2"], draft=draft, comment="add the photo")
    item = services.draft_add_media(
        actor=team["runner"],
        draft=draft,
        name="stand.png",
        stream=io.BytesIO(png.getvalue()),
        alt_text="Our stand",
        shown_answer="none",  # the author says the photo shows no identifiable people (5.2)
    )
    draft = services.draft_approve(
        actor=team["runner2"], draft=services.draft_submit(actor=team["runner"], draft=draft)
    )
    publish_draft.call(draft_id=draft.pk)
    draft.refresh_from_db()
    (upload,) = team["platform"].media[draft.record_key]
    assert upload.alt == "Our stand" and upload.mime_type == "image/png"
    assert PublishedPost.objects.get(draft=draft).media[0]["sha256"] == item.sha256


def test_a_post_is_not_published_before_its_time(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    when = timezone.now() + dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        draft = approved(team, publish_at=when)
    task = DBTaskResult.objects.get(task_path=TASK)
    assert task.run_after == when
    assert publish_draft.call(draft_id=draft.pk) == "not due yet"
    assert team["platform"].publish_calls == 0


def test_a_worker_killed_after_the_platform_answered_does_not_post_twice(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = approved(team)

    def killed(draft_id: int, record: Any, record_key: str) -> str:
        raise SystemExit("worker killed")

    record = publishing._record
    monkeypatch.setattr(publishing, "_record", killed)
    with pytest.raises(SystemExit):
        publish_draft.call(draft_id=draft.pk)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHING and draft.record_key  # the key was committed first
    assert len(team["platform"].posts) == 1
    monkeypatch.setattr(publishing, "_record", record)
    # Too soon for the safety net: a worker may still be on it.
    assert "publish-due" not in run_due(timezone.now())
    # Later, the scheduler's safety net finds the stale post and enqueues it again.
    later = timezone.now() + dt.timedelta(minutes=publishing.STALE_MINUTES + 1)
    assert run_due(later)[-1:] == ["publish-due"]
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    assert publish_draft.call(draft_id=draft.pk) == "published"
    assert team["platform"].publish_calls == 2
    assert len(team["platform"].posts) == 1
    assert PublishedPost.objects.filter(draft=draft).count() == 1


def test_an_unreachable_platform_is_retried_with_back_off_then_fails_and_tells_people(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = approved(team)
    team["platform"].fail_next = [PlatformUnavailable("Bluesky did not answer")] * publishing.MAX_ATTEMPTS
    waits = []
    for _ in range(publishing.MAX_ATTEMPTS - 1):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert publish_draft.call(draft_id=draft.pk) == "retrying"
        task = DBTaskResult.objects.filter(task_path=TASK).latest("enqueued_at")
        waits.append(round((task.run_after - before).total_seconds() / 60))
        draft.refresh_from_db()
        assert draft.state == State.SCHEDULED and "did not answer" in draft.last_error
    assert waits == list(publishing.BACKOFF_MINUTES)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_draft.call(draft_id=draft.pk) == "failed"
    draft.refresh_from_db()
    assert draft.state == State.FAILED and draft.attempts == publishing.MAX_ATTEMPTS
    assert not PublishedPost.objects.exists()
    assert DBTaskResult.objects.filter(
        task_path="socialguard.content.tasks.send_publish_failed_notice"
    ).exists()
    assert send_publish_failed_notice.call(draft_id=draft.pk) == 3
    # One message per address, so one address refusing mail delays no one else.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@dmm.example", "ben@dmm.example", "sam@dmm.example"]
    assert all("did not answer" in m.body and GOOD not in m.body for m in mail.outbox)


def test_a_refused_app_password_fails_at_once(team: dict[str, Any]) -> None:
    draft = approved(team)
    team["platform"].fail_next = [AuthenticationFailed("Invalid identifier or password")]
    assert publish_draft.call(draft_id=draft.pk) == "failed"
    draft.refresh_from_db()
    assert draft.state == State.FAILED and draft.last_error == publishing.REFUSED_PASSWORD
    assert draft.attempts == 1


def test_a_rejected_post_is_not_retried(team: dict[str, Any]) -> None:
    draft = approved(team)
    team["platform"].fail_next = [PostRejected("the image is too large")]
    assert publish_draft.call(draft_id=draft.pk) == "failed"


def test_no_app_password_is_a_clear_failure(team: dict[str, Any]) -> None:
    VaultSecret.objects.all().delete()
    draft = approved(team)
    assert publish_draft.call(draft_id=draft.pk) == "failed"
    draft.refresh_from_db()
    assert "no app password is stored" in draft.last_error
    assert team["platform"].publish_calls == 0


def test_an_edit_before_the_task_runs_stops_it(team: dict[str, Any]) -> None:
    draft = approved(team)
    services.draft_save(actor=team["runner"], draft=draft, text=GOOD + " Apply now!")
    assert publish_draft.call(draft_id=draft.pk) == "nothing to publish"
    assert team["platform"].publish_calls == 0


def test_a_failed_post_is_tried_again_on_request(team: dict[str, Any]) -> None:
    draft = approved(team)
    team["platform"].fail_next = [AuthenticationFailed("refused")]
    publish_draft.call(draft_id=draft.pk)
    draft = publishing.draft_retry(actor=team["runner2"], draft=draft)
    assert draft.state == State.SCHEDULED
    assert publish_draft.call(draft_id=draft.pk) == "published"


def test_tries_that_never_finish_stop_after_the_last_attempt(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = approved(team)

    def crashes(draft_id: int, record: Any, record_key: str) -> str:
        raise RuntimeError("a bug after the platform answered")

    monkeypatch.setattr(publishing, "_record", crashes)
    for _ in range(publishing.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            publish_draft.call(draft_id=draft.pk)
    assert publish_draft.call(draft_id=draft.pk) == "failed"
    draft.refresh_from_db()
    assert draft.state == State.FAILED and "did not finish" in draft.last_error
    assert len(team["platform"].posts) == 1  # the same record each time, never a second post


def test_a_failed_post_saved_unchanged_stays_failed_and_changed_goes_back(team: dict[str, Any]) -> None:
    draft = approved(team)
    team["platform"].fail_next = [AuthenticationFailed("refused")]
    publish_draft.call(draft_id=draft.pk)
    draft = services.draft_save(actor=team["runner"], draft=draft, text=GOOD)
    assert draft.state == State.FAILED and draft.approvals.filter(withdrawn_at__isnull=True).count() == 1
    draft = services.draft_save(actor=team["runner"], draft=draft, text=GOOD + " Apply now!")
    assert draft.state == State.SUBMITTED and not draft.approvals.filter(withdrawn_at__isnull=True).exists()
    assert draft.record_key == ""  # new content, new record


def _hung_try(team: dict[str, Any], draft: Any) -> tuple[Any, Any]:
    """Step 1 of a try whose platform call hangs: the draft as it was, and its connector."""
    prepared = publishing._prepare(draft.pk)
    assert not isinstance(prepared, str)
    return prepared


def test_a_late_answer_for_a_reply_sent_back_for_smt_approval_and_changed_is_not_archived(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialguard.content.models import Draft

    reply = "Thanks for asking: the course starts in May. ^BT"
    draft = approved(team, reply, is_reply=True, reply_to="at://did:plc:x/app.bsky.feed.post/1")
    prepared = _hung_try(team, draft)
    Draft.objects.filter(pk=draft.pk).update(state=State.SCHEDULED)  # a retry waits
    # SMT see it answers criticism: the runner's approval no longer counts, nor its record key.
    draft = services.draft_mark_criticism(actor=team["smt"], draft=Draft.objects.get(pk=draft.pk))
    assert draft.state == State.SUBMITTED and draft.record_key == ""
    services.draft_save(
        actor=team["runner"], draft=draft, text=reply + " Sorry!", is_reply=True, reply_to=draft.reply_to
    )
    real_prepare = publishing._prepare
    monkeypatch.setattr(publishing, "_prepare", lambda _id: prepared)
    assert publishing.publish(draft.pk) == publishing.MOVED_ON  # taken down, not archived
    assert not PublishedPost.objects.exists()
    (record,) = team["platform"].posts.values()
    assert team["platform"].deleted == [record.uri]
    # Approved again by SMT, it goes out under a key of its own, as its new words.
    monkeypatch.setattr(publishing, "_prepare", real_prepare)
    draft = services.draft_approve(actor=team["smt"], draft=Draft.objects.get(pk=draft.pk))
    outcome = publish_draft.call(draft_id=draft.pk)
    assert outcome == "published", Draft.objects.get(pk=draft.pk).last_error
    assert PublishedPost.objects.get(draft=draft).text == reply + " Sorry!"
    assert len(team["platform"].posts) == 2


def test_a_failed_reply_marked_as_answering_criticism_is_not_retried_on_a_runners_approval(
    team: dict[str, Any],
) -> None:
    draft = approved(team, "Thanks: see you in May. ^BT", is_reply=True, reply_to="at://x/y/1")
    team["platform"].fail_next = [AuthenticationFailed("refused")]
    assert publish_draft.call(draft_id=draft.pk) == "failed"
    draft = services.draft_mark_criticism(actor=team["smt"], draft=draft)
    assert draft.state == State.SUBMITTED  # SMT must approve it (5.1) before any retry
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="only a failed post is retried"):
        publishing.draft_retry(actor=team["runner2"], draft=draft)


def test_an_earlier_try_that_lands_after_the_post_went_out_changed_is_taken_down(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialguard.content.models import Draft

    draft = approved(team)
    prepared = _hung_try(team, draft)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)  # the tries ran out
    draft = services.draft_save(
        actor=team["runner"], draft=Draft.objects.get(pk=draft.pk), text=GOOD + " Now!"
    )
    draft = services.draft_approve(actor=team["runner2"], draft=draft)
    assert publish_draft.call(draft_id=draft.pk) == "published"  # under a new key
    monkeypatch.setattr(publishing, "_prepare", lambda _id: prepared)
    assert publishing.publish(draft.pk) == publishing.MOVED_ON
    old = team["platform"].posts[prepared[0].record_key]
    assert team["platform"].deleted == [old.uri]
    assert PublishedPost.objects.get(draft=draft).text == GOOD + " Now!"
    assert "went out changed" in draft.events.get(kind="published_unrecorded").comment


def test_a_late_post_whose_deletion_breaks_unexpectedly_is_still_reported(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialguard.content.models import Draft

    draft = approved(team)
    prepared = _hung_try(team, draft)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)
    services.draft_save(actor=team["runner"], draft=Draft.objects.get(pk=draft.pk), text=GOOD + " Now!")

    def breaks(uri: str) -> None:
        raise ValueError("an unexpected answer")

    monkeypatch.setattr(prepared[1], "delete", breaks)
    monkeypatch.setattr(publishing, "_prepare", lambda _id: prepared)
    assert publishing.publish(draft.pk) == publishing.MOVED_ON
    event = Draft.objects.get(pk=draft.pk).events.get(kind="published_unrecorded")
    assert "could not remove it (an unexpected answer): delete it there" in event.comment
