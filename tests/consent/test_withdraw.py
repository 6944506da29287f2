"""A withdrawal is recorded first, then takes effect: drafts pulled back, takedowns opened, the
post deleted on the platform once a runner confirms; a publish in progress is stopped or the post
taken down at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socialguard.audit.models import AuditEvent
from socialguard.consent import services
from socialguard.consent.models import ConsentRecord, Status, Takedown, TakedownState
from socialguard.consent.tasks import takedown_delete
from socialguard.content import publishing
from socialguard.content import services as content
from socialguard.content.models import Draft, PublishedPost, State
from socialguard.content.tasks import publish_draft
from tests.consent.test_checking import TEXT, attach, consent
from tests.content.conftest import write


def approved(team: dict[str, Any], ref: str = "L2") -> Draft:
    consent(team, ref)
    draft = attach(team, write(team, TEXT), [ref])
    draft = content.draft_submit(actor=team["runner"], draft=draft)
    return content.draft_approve(actor=team["smt"], draft=draft)


def withdraw(team: dict[str, Any], ref: str = "L2") -> ConsentRecord:
    return services.consent_withdraw(actor=team["smt"], kind="learner", ref=ref)


def test_withdrawal_takes_a_published_post_down_after_a_runner_confirms(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = approved(team)
    publish_draft.call(draft_id=draft.pk)
    post = PublishedPost.objects.get(draft=draft)
    record = withdraw(team)
    takedown = Takedown.objects.get(withdrawal=record)
    assert (
        takedown.post == post and takedown.state == TakedownState.OPEN and takedown.account == team["account"]
    )
    with pytest.raises(PermissionDenied):
        services.takedown_confirm(actor=team["outsider"], takedown=takedown)
    with django_capture_on_commit_callbacks(execute=True):
        services.takedown_confirm(actor=team["runner2"], takedown=takedown)
    assert team["platform"].deleted == []  # the task deletes it
    takedown_delete.call(takedown_id=takedown.pk)
    takedown.refresh_from_db()
    post.refresh_from_db()
    assert takedown.state == TakedownState.DONE and post.deleted_at is not None
    assert team["platform"].deleted == [post.uri]
    assert [s["what"].split(":")[0] for s in takedown.steps] == [
        "listed",
        "confirmed",
        "deleted on the platform",
    ]
    actions = list(
        AuditEvent.objects.filter(action__startswith="consent.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "consent.withdrawn", "consent.takedown_opened", "consent.takedown_confirmed", "consent.takedown_done",
    ]  # fmt: skip


def test_a_failed_deletion_is_kept_and_can_be_confirmed_again(team: dict[str, Any]) -> None:
    from socialguard.connectors.base import PlatformUnavailable

    draft = approved(team)
    publish_draft.call(draft_id=draft.pk)
    takedown = Takedown.objects.get(withdrawal=withdraw(team))
    team["platform"].fail_next.append(PlatformUnavailable("down"))
    services.takedown_confirm(actor=team["runner"], takedown=takedown)
    takedown_delete.call(takedown_id=takedown.pk)
    takedown.refresh_from_db()
    assert takedown.state == TakedownState.FAILED and "down" in takedown.last_error
    services.takedown_confirm(actor=team["runner"], takedown=takedown)
    takedown_delete.call(takedown_id=takedown.pk)
    takedown.refresh_from_db()
    assert takedown.state == TakedownState.DONE


def test_a_pending_draft_is_pulled_back_at_once(team: dict[str, Any]) -> None:
    draft = approved(team)
    assert draft.state == State.SCHEDULED
    withdraw(team)
    draft.refresh_from_db()
    assert draft.state == State.CHANGES_REQUESTED
    assert not draft.approvals.filter(withdrawn_at__isnull=True).exists()
    assert "IC001" in {f["rule"] for f in draft.check_result.findings}
    assert publish_draft.call(draft_id=draft.pk) == "nothing to publish"


def test_the_withdrawal_is_kept_even_if_the_sweep_fails(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    approved(team)

    def broken(**kw: Any) -> None:
        raise RuntimeError("sweep crashed")

    monkeypatch.setattr(services, "sweep", broken)
    with pytest.raises(RuntimeError):
        withdraw(team)
    assert ConsentRecord.objects.filter(status=Status.WITHDRAWN, subject_id="L2").exists()


def test_a_withdrawal_during_publishing_stops_the_publish(team: dict[str, Any]) -> None:
    draft = approved(team)
    # The withdrawal lands as the task starts (the sweep saw it before it was publishing).
    ConsentRecord.objects.create(
        subject_kind="learner", subject_id="L2", subject_name="Eve Former", status=Status.WITHDRAWN,
        given_on=draft.updated_at.date(), evidence="mis", recorded_at=draft.updated_at,
    )  # fmt: skip
    assert publish_draft.call(draft_id=draft.pk) == "failed"
    draft.refresh_from_db()
    assert draft.state == State.FAILED and "no current consent to show Eve Former" in draft.last_error
    assert team["platform"].publish_calls == 0


def test_a_withdrawal_while_the_platform_is_called_takes_the_post_down_at_once(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = approved(team)
    real = publishing._outgoing

    def outgoing_then_withdraw(d: Draft) -> Any:
        out = real(d)
        withdraw(team)  # between the lock being released and the post being recorded
        return out

    monkeypatch.setattr(publishing, "_outgoing", outgoing_then_withdraw)
    assert publish_draft.call(draft_id=draft.pk) == "published"
    post = PublishedPost.objects.get(draft=draft)
    takedown = Takedown.objects.get(post=post)
    assert takedown.state == TakedownState.DELETING  # no runner needed: at once
    takedown_delete.call(takedown_id=takedown.pk)
    post.refresh_from_db()
    assert post.deleted_at is not None and team["platform"].deleted == [post.uri]
    assert Takedown.objects.filter(post=post, state=TakedownState.DONE).exists()


def test_a_withdrawal_while_a_publish_runs_leaves_the_draft_to_the_publisher(team: dict[str, Any]) -> None:
    from socialguard.consent.pages import reminders

    draft = approved(team)
    Draft.objects.filter(pk=draft.pk).update(state=State.PUBLISHING)
    withdraw(team)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHING  # not pulled back under the publisher's feet
    takedown = Takedown.objects.get(draft=draft)
    assert (
        takedown.state == TakedownState.DONE
        and "taken down as soon as it is recorded" in takedown.steps[0]["what"]
    )
    assert not [r for r in reminders(team["runner"]) if "take down" in r.title]


def test_a_post_that_lands_late_after_a_withdrawal_pulled_its_draft_back_is_taken_down(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker's call hangs; its tries run out (failed); the learner withdraws, which pulls the
    # draft back (its record key cleared). Then the call lands: the post shows the learner, and
    # nobody approved it as it is now, so it comes down at once, without waiting for a runner.
    draft = approved(team)
    prepared = publishing._prepare(draft.pk)
    assert not isinstance(prepared, str)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)
    withdraw(team)
    draft.refresh_from_db()
    assert draft.state == State.CHANGES_REQUESTED and draft.record_key == ""
    monkeypatch.setattr(publishing, "_prepare", lambda _id: prepared)
    assert publishing.publish(draft.pk) == publishing.MOVED_ON
    (record,) = team["platform"].posts.values()
    assert team["platform"].deleted == [record.uri]
    assert not PublishedPost.objects.filter(draft=draft).exists()
    assert "removed it there" in draft.events.get(kind="published_unrecorded").comment
