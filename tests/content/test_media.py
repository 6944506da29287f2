"""Media on drafts: checked by content, images stored without EXIF or GPS, videos checked and
flagged as keeping their metadata, people shown named from the register."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from socialguard.content import media, services
from socialguard.content.models import CheckResult, DraftMedia, State
from tests.content.conftest import submitted, write

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (16, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (53.0, 28.0, 0.0), 3: "W", 4: (2.0, 14.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def add(team: dict[str, Any], draft: Any, name: str, data: bytes, **kw: Any) -> DraftMedia:
    return services.draft_add_media(
        actor=team["runner"], draft=draft, name=name, stream=io.BytesIO(data), **kw
    )


def test_a_photo_is_stored_without_exif_or_gps(team: dict[str, Any]) -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    draft = write(team)
    item = add(team, draft, "team.jpg", original, alt_text="The team at the stand")
    stored = media.read(item.stored_name, item.sha256)
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO(stored)).size == (16, 8)
    assert not item.metadata_kept
    assert (media.storage_dir() / item.stored_name).stat().st_mode & 0o777 == 0o600


def test_a_file_that_is_not_what_its_name_says_is_refused(team: dict[str, Any]) -> None:
    draft = write(team)
    with pytest.raises(ValidationError, match="not a readable JPEG"):
        add(team, draft, "photo.jpg", b"MZ\x90\x00 not a photo at all")
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    with pytest.raises(ValidationError, match="really a PNG"):
        add(team, draft, "photo.jpg", png.getvalue())
    with pytest.raises(ValidationError, match="not a MP4 video"):
        add(team, draft, "clip.mp4", png.getvalue())
    assert not DraftMedia.objects.exists()
    assert list(media.storage_dir().iterdir()) == []


def test_a_video_is_accepted_and_flagged_as_keeping_its_metadata(team: dict[str, Any]) -> None:
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    draft = write(team)
    item = add(team, draft, "clip.mp4", mp4)
    assert item.content_type == "video/mp4" and item.metadata_kept
    assert "PB006" in [f["rule"] for f in CheckResult.objects.get(draft=draft).findings]


def test_people_shown_come_from_the_register_and_reach_the_check(team: dict[str, Any]) -> None:
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    draft = write(team)
    with pytest.raises(ValidationError) as error:
        add(team, draft, "a.png", png.getvalue(), people_shown=[{"kind": "learner", "id": "NOPE"}])
    assert "people_shown" in error.value.message_dict
    add(team, draft, "a.png", png.getvalue(), people_shown=[{"kind": "learner", "id": "L1"}])
    findings = CheckResult.objects.get(draft=draft).findings
    consent = next(f for f in findings if f["rule"] == "IC001")
    assert "Dan Young" in consent["message"]


def test_media_changes_the_approved_content(team: dict[str, Any]) -> None:
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    draft = services.draft_approve(actor=team["runner2"], draft=submitted(team))
    add(team, draft, "late.png", png.getvalue())
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED


def test_only_the_author_attaches_media(team: dict[str, Any]) -> None:
    draft = write(team)
    with pytest.raises(PermissionDenied):
        services.draft_add_media(actor=team["runner2"], draft=draft, name="a.png", stream=io.BytesIO(b""))
