"""Corrections and deletions are drafts too: linked to the archived post, approved by SMT (the
Do's: report mistakes to the senior management team); a deletion removes the post on the
platform through the connector and is recorded on the archived post."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.content import services
from socialguard.content.models import Kind, PublishedPost, State
from socialguard.content.tasks import publish_draft
from tests.content.conftest import GOOD, submitted


@pytest.fixture
def published(team: dict[str, Any]) -> PublishedPost:
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    publish_draft.call(draft_id=draft.pk)
    return PublishedPost.objects.get(draft=draft)


def test_a_deletion_removes_the_post_on_the_platform_and_is_recorded(
    team: dict[str, Any], published: PublishedPost
) -> None:
    draft = submitted(team, "Wrong cohort month: remove it", kind=Kind.DELETION, corrects=published)
    with pytest.raises(PermissionDenied, match="senior"):
        services.draft_approve(actor=team["runner2"], draft=draft)
    draft = services.draft_approve(actor=team["smt"], draft=draft)
    assert publish_draft.call(draft_id=draft.pk) == "published"
    assert team["platform"].deleted == [published.uri]
    published.refresh_from_db()
    assert published.deleted_at is not None and published.deleted_by_draft == draft
    record = PublishedPost.objects.get(draft=draft)
    assert record.kind == Kind.DELETION and record.uri == published.uri
    # Only once: a deleted post is not deleted or corrected again.
    with pytest.raises(ValidationError) as error:
        submitted(team, "again", kind=Kind.DELETION, corrects=published)
    assert "corrects" in error.value.message_dict


def test_a_deletion_that_reached_the_platform_after_it_was_discarded_is_still_recorded(
    team: dict[str, Any], published: PublishedPost
) -> None:
    from socialguard.content import publishing
    from socialguard.content.models import Draft

    draft = services.draft_approve(
        actor=team["smt"],
        draft=submitted(team, "Wrong month: remove it", kind=Kind.DELETION, corrects=published),
    )
    prepared = publishing._prepare(draft.pk)
    assert not isinstance(prepared, str)
    Draft.objects.filter(pk=draft.pk).update(state=State.FAILED)  # the tries ran out meanwhile
    services.draft_save(actor=team["runner"], draft=Draft.objects.get(pk=draft.pk), text="Changed my mind")
    services.draft_discard(actor=team["runner"], draft=Draft.objects.get(pk=draft.pk))
    prepared[1].delete(published.uri)  # the hung call returns: the post is gone
    assert publishing._record(draft.pk, None, prepared[0].record_key) == publishing.MOVED_ON
    published.refresh_from_db()
    assert published.deleted_at is not None and published.deleted_by_draft_id == draft.pk
    draft.refresh_from_db()
    assert draft.state == State.DISCARDED
    assert "the archive says so" in draft.events.get(kind="published_unrecorded").comment


def test_a_correction_is_published_as_a_reply_to_what_it_corrects(
    team: dict[str, Any], published: PublishedPost
) -> None:
    text = "Correction: the cohort starts in April, not March. ^BT"
    draft = services.draft_approve(
        actor=team["smt"], draft=submitted(team, text, kind=Kind.CORRECTION, corrects=published)
    )
    publish_draft.call(draft_id=draft.pk)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    correction = PublishedPost.objects.get(draft=draft)
    assert correction.kind == Kind.CORRECTION and correction.draft.corrects == published
    assert team["platform"].texts[draft.record_key] == text
    assert team["platform"].replies_to[draft.record_key] == published.uri


def test_a_correction_names_a_post_of_the_same_account(
    team: dict[str, Any], published: PublishedPost
) -> None:
    with pytest.raises(ValidationError) as error:
        services.draft_save(
            actor=team["runner"], account=team["linkedin"], text="x", kind=Kind.CORRECTION, corrects=published
        )
    assert "corrects" in error.value.message_dict
    with pytest.raises(ValidationError) as missing:
        services.draft_save(actor=team["runner"], account=team["account"], text=GOOD, kind=Kind.CORRECTION)
    assert "corrects" in missing.value.message_dict


def test_a_deletions_record_is_not_re_checked_by_a_pack_preview(
    team: dict[str, Any], published: PublishedPost
) -> None:
    """Its text is the reason for the deletion, never a post: the preview counted it as one."""
    from socialguard.content.checked_posts import ContentPosts

    draft = submitted(team, "Wrong cohort month: remove it", kind=Kind.DELETION, corrects=published)
    draft = services.draft_approve(actor=team["smt"], draft=draft)
    publish_draft.call(draft_id=draft.pk)
    record = PublishedPost.objects.get(draft=draft)
    rechecked = {(kind, pk) for kind, pk, _ in ContentPosts().recent(50, 50)}
    assert ("archive", record.pk) not in rechecked and ("draft", draft.pk) not in rechecked
