"""The posts a rules-pack preview re-checks (content.checked_posts): each draft, and each published
post, is re-checked exactly as the content workflow checks the draft (services.composition, then
checking.engine_post), media and the people they show included, not from its text alone."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from socialguard.content import services
from socialguard.content.checked_posts import ContentPosts
from socialguard.content.checking import engine_post
from socialguard.content.models import CheckResult, Draft, PublishedPost
from socialguard.content.tasks import publish_draft
from socialguard.identity.roles import Role
from socialguard.policies import packs
from tests.conftest import sign_in
from tests.content.conftest import write

pytestmark = pytest.mark.django_db

TEXT = "Our learners at the open day. ^BT"
IGNORE_IC001 = '[pack]\nignore = ["IC001"]\n'


def with_learner_photo(team: dict[str, Any], ref: str = "L2") -> Draft:
    """A draft showing a learner in the register who has no social-media consent."""
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    draft = write(team, TEXT)
    services.draft_add_media(
        actor=team["runner"], draft=draft, name="open-day.png", stream=io.BytesIO(png.getvalue()),
        alt_text="Learners at the open day", people_shown=[{"kind": "learner", "id": ref}],
    )  # fmt: skip
    draft.refresh_from_db()
    return draft


def blocking(draft: Draft) -> set[str]:
    return {f["rule"] for f in CheckResult.objects.get(draft=draft).findings if f["severity"] == "block"}


def test_a_draft_is_re_checked_as_the_workflow_checks_it(team: dict[str, Any]) -> None:
    draft = with_learner_photo(team)
    items = {(kind, pk): post for kind, pk, post in ContentPosts().recent(10, 10)}
    post = items[("draft", draft.pk)]
    assert post == engine_post(services.composition(draft))
    assert len(post.media) == 1 and post.media[0].people_shown and not post.media[0].consent_recorded
    assert post.media[0].description == "Learners at the open day"


def test_previewing_a_pack_that_ignores_ic001_shows_the_draft_it_holds(
    team: dict[str, Any], make_user: Any
) -> None:
    held = with_learner_photo(team)
    plain = write(team, "Applications open on Monday ^BT")
    assert "IC001" in blocking(held)
    preview = packs.preview(packs.load_text(IGNORE_IC001))
    by_rule = {r.rule: r for r in preview.rules}
    assert "IC001" in by_rule, "switching off a blocking rule that holds a draft must show in the preview"
    assert [p.id for p in by_rule["IC001"].cleared] == [held.pk]
    (change,) = [p for p in preview.posts if p.kind == "draft" and p.id == held.pk]
    assert change.before == "block" and "IC001" in change.cleared
    assert plain.pk not in {p.id for p in preview.posts}
    # The Quality Director's page says so before anything is saved.
    qd = make_user(Role.QUALITY_DIRECTOR, email="quinn@dmm.example", name="Quinn Director")
    html = (
        sign_in(Client(), qd)
        .post(reverse("policies:rules_pack"), {"text": IGNORE_IC001, "action": "preview"})
        .content.decode()
    )
    assert "none would be flagged differently" not in html
    assert "1 would be flagged differently" in html
    assert html.split(f"Draft {held.pk}: ")[1].split("<br>")[0].endswith("no longer flagged by IC001")


def test_a_published_post_is_re_checked_with_its_media_too(team: dict[str, Any]) -> None:
    draft = with_learner_photo(team)
    draft = services.draft_submit(actor=team["runner"], draft=draft)
    finding = next(f for f in CheckResult.objects.get(draft=draft).findings if f["rule"] == "IC001")
    services.draft_override(
        actor=team["smt"], draft=draft, rule="IC001", start=finding["start"], end=finding["end"],
        reason="The learner's parent agreed in writing; the register is being updated",
    )  # fmt: skip
    draft = services.draft_approve(actor=team["smt2"], draft=draft)
    publish_draft.call(draft_id=draft.pk)
    published = PublishedPost.objects.get(draft=draft)

    items = {(kind, pk): post for kind, pk, post in ContentPosts().recent(10, 0)}
    post = items[("archive", published.pk)]
    assert post == engine_post(services.composition(draft))
    assert post.media and post.media[0].people_shown

    preview = packs.preview(packs.load_text(IGNORE_IC001))
    cleared = {(p.kind, p.id) for r in preview.rules if r.rule == "IC001" for p in r.cleared}
    assert ("archive", published.pk) in cleared
