"""Every draft with media is checked against the register, not against what the caller says."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialguard.consent import faces, services
from socialguard.consent.models import Status
from socialguard.content import services as content
from socialguard.content.models import Draft
from tests.consent.conftest import png
from tests.content.conftest import write

TEXT = "Our learners at the open day. ^BT"


def attach(
    team: dict[str, Any], draft: Draft, people: list[str] = (), answer: str = "", data: bytes = b""
) -> Draft:  # type: ignore[assignment]
    content.draft_add_media(
        actor=team["runner"], draft=draft, name="photo.png", stream=io.BytesIO(data or png()),
        people_shown=[{"kind": "learner", "id": ref} for ref in people], shown_answer=answer,
    )  # fmt: skip
    draft.refresh_from_db()
    return draft


def rules(draft: Draft) -> set[str]:
    return {f["rule"] for f in draft.check_result.findings if f["severity"] == "block"}


def consent(team: dict[str, Any], ref: str = "L1", status: str = Status.GIVEN, **kw: Any) -> None:
    services.consent_record(
        actor=team["smt"], kind="learner", ref=ref, status=status,
        given_on=timezone.localdate() - dt.timedelta(days=1), **kw,
    )  # fmt: skip


def test_a_learner_without_consent_blocks_until_the_register_holds_it(team: dict[str, Any]) -> None:
    draft = attach(team, write(team, TEXT), ["L2"])
    assert "IC001" in rules(draft)
    consent(team, "L2")
    content.draft_save(actor=team["runner"], draft=draft, account=team["account"], text=TEXT)
    draft.refresh_from_db()
    assert rules(draft) == set()
    consent(team, "L2", Status.REFUSED)
    content.draft_save(actor=team["runner"], draft=draft, account=team["account"], text=TEXT)
    draft.refresh_from_db()
    assert "IC001" in rules(draft)


def test_the_author_says_who_is_shown(team: dict[str, Any]) -> None:
    draft = attach(team, write(team, TEXT))
    assert "CN001" in rules(draft)
    other = attach(team, write(team, TEXT), answer="none")
    assert rules(other) == set()
    with pytest.raises(ValidationError) as error:
        attach(team, write(team, TEXT), ["L2"], answer="crowd")
    assert "only when nobody is named" in error.value.message_dict["shown_answer"][0]


def test_every_face_found_is_accounted_for(team: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faces, "count_faces", lambda data, content_type: 3)
    consent(team, "L2")
    draft = attach(team, write(team, TEXT), ["L2"])
    assert draft.media.get().faces_found == 3
    finding = next(f for f in draft.check_result.findings if f["rule"] == "CN002")
    assert "3 faces but only 1 person is named" in finding["message"] and finding["clause"] == "5.2"
    crowd = attach(team, write(team, TEXT), answer="crowd")
    assert rules(crowd) == set()
    none = attach(team, write(team, TEXT), answer="none")
    assert "CN002" in rules(none)


def test_the_real_face_counter_counts_nothing_in_a_plain_photo() -> None:
    assert faces.count_faces(png("white", (200, 200)), "image/png") == 0
    assert faces.count_faces(b"not an image", "image/png") is None
    assert faces.count_faces(b"\x00" * 20, "video/mp4") is None


def test_an_under_18_learner_named_beside_their_photo_blocks(team: dict[str, Any]) -> None:
    consent(team, "L1", guardian_id="G1")
    draft = attach(team, write(team, "Well done Dan Young at the open day! ^BT"), ["L1"])
    finding = next(f for f in draft.check_result.findings if f["rule"] == "CN003")
    assert finding["severity"] == "block" and draft.text[finding["start"] : finding["end"]] == "Dan Young"
    adult = attach(team, write(team, "Well done Eve Former! ^BT"), ["L2"])
    assert "CN003" not in rules(adult)


def test_tagging_a_learner_blocks(team: dict[str, Any]) -> None:
    learner = team["past"]
    learner.social_handles = "@evef.bsky.social"
    learner.save()
    consent(team, "L2")
    draft = attach(team, write(team, "Great day with @evef.bsky.social ^BT"), ["L2"])
    assert "CN004" in rules(draft)
    # Written in other capitals, at the end of a sentence: still the learner's handle.
    assert "CN004" in rules(attach(team, write(team, "Great day, @EveF.bsky.social. ^BT"), ["L2"]))
    # A longer handle that only starts like hers is someone else.
    assert "CN004" not in rules(attach(team, write(team, "Great day with @evef.bsky.social.uk ^BT"), ["L2"]))
