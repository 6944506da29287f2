"""What a refused or withdrawn consent does to posts: pending drafts that show the person go back
to their author with their approval withdrawn, and each published post gets a takedown for its
account's runners (consent.services.open_takedown; deleting it on the platform is the consent
app's task). Registered as a sweeper of consent.services at start-up (content.apps), so that the
register below never imports the posts above it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.consent.models import ConsentRecord, Takedown, TakedownState
from socialguard.consent.services import SweepResult, open_takedown, takedown_fields, takedown_step
from socialguard.content.models import Draft, DraftEvent, DraftMedia, EventKind, PublishedPost, State
from socialguard.content.services import _run_check


def _audit(actor: Any, verb: str, takedown: Takedown) -> None:
    """A takedown's events are the consent register's (`consent.<verb>`), whoever records them."""
    audit_record(actor=actor, action=f"consent.{verb}", **takedown_fields(takedown))


def _shows(people: Any, kind: str, ref: str) -> bool:
    return any(str(p.get("kind")) == kind and str(p.get("id")) == ref for p in (people or []))


def drafts_showing(kind: str, ref: str) -> list[int]:
    ids = set()
    for item in DraftMedia.objects.exclude(people_shown=[]).only("draft_id", "people_shown"):
        if _shows(item.people_shown, kind, ref):
            ids.add(item.draft_id)
    return sorted(ids)


def sweep_posts(*, actor: Any, record: ConsentRecord) -> SweepResult:
    """List the posts that show the person: pull back pending drafts, open takedowns of published
    posts (one transaction per draft, each under the lock the publisher takes)."""
    result = SweepResult()
    for draft_id in drafts_showing(record.subject_kind, record.subject_id):
        with transaction.atomic():
            draft = Draft.objects.select_for_update(of=("self",)).select_related("account").get(pk=draft_id)
            post = PublishedPost.objects.filter(draft=draft).first()
            if post is not None:
                if (
                    post.deleted_at is None
                    and not post.takedowns.exclude(state=TakedownState.FAILED).exists()
                ):
                    result.posts.append(open_takedown(actor=actor, record=record, post=post).pk)
                continue
            if draft.state in (State.SUBMITTED, State.APPROVED, State.SCHEDULED, State.FAILED):
                result.drafts.append(_pull_back(actor=actor, record=record, draft=draft).pk)
            elif draft.state == State.PUBLISHING:
                # The publish task is on it now: it checks consent again under this lock before
                # recording, and opens a takedown at once if the post went out (content.publishing).
                # A record of what happened to the draft, not a task: the publisher acts on it.
                now = timezone.now()
                takedown = Takedown(
                    withdrawal=record, account=draft.account, draft=draft, state=TakedownState.DONE,
                    created_at=now, done_at=now,
                )  # fmt: skip
                takedown_step(
                    takedown, "the post was being published: it is taken down as soon as it is recorded"
                )
                takedown.save()
                _audit(actor, "takedown_opened", takedown)
    return result


def _pull_back(*, actor: Any, record: ConsentRecord, draft: Draft) -> Takedown:
    """A pending draft showing the person goes back to its author, its approval withdrawn."""
    now = timezone.now()
    draft.approvals.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    draft.state = State.CHANGES_REQUESTED
    draft.record_key = ""
    draft.save(update_fields=["state", "record_key", "updated_at"])
    comment = (
        f"{record.subject_name}'s consent was {record.get_status_display().lower()}: "
        "remove them from the photos."
    )
    DraftEvent.objects.create(
        draft=draft, kind=EventKind.CHANGES_REQUESTED, actor=None, comment=comment, at=now
    )
    _run_check(draft)
    takedown = Takedown(
        withdrawal=record,
        account=draft.account,
        draft=draft,
        state=TakedownState.DONE,
        created_at=now,
        done_at=now,
    )
    takedown_step(takedown, "the draft was pulled back from approval and sent to its author")
    takedown.save()
    _audit(actor, "draft_pulled_back", takedown)
    return takedown
