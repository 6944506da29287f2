"""Approval routing (issue 14 item 3): never the author; pass → another runner or SMT; review,
controversial, replies to criticism, corrections → SMT; approval bound to the exact content."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from socialguard.audit.models import AuditEvent
from socialguard.content import services
from socialguard.content.models import State
from tests.content.conftest import GOOD, submitted

CONTROVERSIAL = "Our statement on the tribunal claim against DMM ^BT"
GRIEVANCE = "My manager is impossible and we are so underpaid here ^BT"


def test_a_pass_post_is_approved_by_another_runner_and_scheduled(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = submitted(team)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_approve(actor=team["runner2"], draft=draft)
    assert draft.state == State.SCHEDULED
    (approval,) = draft.approvals.all()
    assert approval.content_hash == services.draft_hash(draft) and not approval.as_smt
    task = DBTaskResult.objects.get(task_path="socialguard.content.tasks.publish_draft")
    assert task.args_kwargs["kwargs"] == {"draft_id": draft.pk}
    assert AuditEvent.objects.filter(action="content.approved", object_id=str(draft.pk)).exists()
    assert list(draft.events.values_list("kind", flat=True)) == [
        "created",
        "submitted",
        "approved",
        "scheduled",
    ]


def test_the_author_never_approves_even_as_smt(team: dict[str, Any]) -> None:
    draft = services.draft_submit(
        actor=team["smt"],
        draft=services.draft_save(actor=team["smt"], account=team["account"], text="Hi ^AB"),
    )
    with pytest.raises(PermissionDenied, match="never approved by its author"):
        services.draft_approve(actor=team["smt"], draft=draft)
    services.draft_approve(actor=team["smt2"], draft=draft)


def test_someone_who_does_not_run_the_account_cannot_approve(team: dict[str, Any]) -> None:
    draft = submitted(team)
    with pytest.raises(PermissionDenied, match="runner"):
        services.draft_approve(actor=team["outsider"], draft=draft)


@pytest.mark.parametrize("text", [CONTROVERSIAL, GRIEVANCE], ids=["controversial", "review"])
def test_review_and_controversial_posts_need_smt(team: dict[str, Any], text: str) -> None:
    draft = submitted(team, text)
    with pytest.raises(PermissionDenied, match="senior leader"):
        services.draft_approve(actor=team["runner2"], draft=draft)
    draft = services.draft_approve(actor=team["smt"], draft=draft)
    assert draft.state == State.SCHEDULED and draft.approvals.get().as_smt


def test_a_reply_to_criticism_needs_smt(team: dict[str, Any]) -> None:
    draft = submitted(
        team, is_reply=True, reply_to="at://did:plc:x/app.bsky.feed.post/1", reply_to_criticism=True
    )
    with pytest.raises(PermissionDenied, match=r"adverse criticism.*5\.1"):
        services.draft_approve(actor=team["runner2"], draft=draft)
    services.draft_approve(actor=team["smt"], draft=draft)


def test_smt_marking_a_reply_as_criticism_withdraws_a_runners_approval(team: dict[str, Any]) -> None:
    draft = submitted(team, is_reply=True, reply_to="https://bsky.app/profile/x/post/1")
    draft = services.draft_approve(actor=team["runner2"], draft=draft)
    with pytest.raises(PermissionDenied):
        services.draft_mark_criticism(actor=team["runner2"], draft=draft)
    draft = services.draft_mark_criticism(actor=team["smt"], draft=draft, comment="answers a complaint")
    assert draft.state == State.SUBMITTED
    # The author cannot take the mark back by saving.
    draft = services.draft_save(
        actor=team["runner"], draft=draft, text=GOOD, is_reply=True, reply_to=draft.reply_to
    )
    assert draft.reply_to_criticism
    with pytest.raises(PermissionDenied):
        services.draft_approve(actor=team["runner2"], draft=draft)


def test_an_edit_after_approval_sends_it_back(team: dict[str, Any]) -> None:
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    draft = services.draft_save(actor=team["runner"], draft=draft, text=GOOD.replace("March", "April"))
    assert draft.state == State.SUBMITTED
    assert draft.approvals.get().withdrawn_at is not None
    assert draft.events.filter(kind="approval_withdrawn").exists()
    assert AuditEvent.objects.filter(action="content.approval_withdrawn").exists()
    services.draft_approve(actor=team["runner2"], draft=draft)


def test_saving_the_same_content_keeps_the_approval(team: dict[str, Any]) -> None:
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    draft = services.draft_save(actor=team["runner"], draft=draft, text=GOOD)
    assert draft.state == State.SCHEDULED


def test_only_a_submitted_post_is_approved(team: dict[str, Any]) -> None:
    from tests.content.conftest import write

    with pytest.raises(ValidationError, match="only a submitted post"):
        services.draft_approve(actor=team["runner2"], draft=write(team))


def test_a_post_on_a_platform_without_connector_waits_for_a_runner(team: dict[str, Any]) -> None:
    draft = submitted(team, "Join us ^BT", account="linkedin")
    draft = services.draft_approve(actor=team["runner2"], draft=draft)
    assert draft.state == State.APPROVED
    assert not DBTaskResult.objects.exists()


def test_the_history_gives_the_publishing_time_in_words(team: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    when = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(12)))
    draft = submitted(team, publish_at=when)
    services.draft_approve(actor=team["runner2"], draft=draft)

    scheduled = draft.events.get(kind="scheduled")
    assert scheduled.comment == f"to publish on {when.day} {when:%b %Y}, 12:00"
