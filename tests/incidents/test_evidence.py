from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from socialguard.incidents import evidence as files
from socialguard.incidents.models import Evidence
from tests.case_fixtures import PDF, checked, jpeg_bytes, png_bytes


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("shot.png", png_bytes(), "image/png"),
        ("photo.JPG", jpeg_bytes(), "image/jpeg"),
        ("page.pdf", PDF, "application/pdf"),
    ],
)
def test_screenshots_photos_and_pdfs_are_accepted(name: str, data: bytes, kind: str) -> None:
    assert checked(name, data).content_type == kind


def test_a_text_file_renamed_to_png_is_refused_by_its_content() -> None:
    with pytest.raises(ValidationError, match=r"notes\.png is named \.png but is not a readable PNG image"):
        checked("notes.png", b"just some text, not a picture at all")


def test_a_jpeg_named_png_is_named_for_what_it_really_is() -> None:
    with pytest.raises(ValidationError, match=r"really a JPEG image"):
        checked("photo.png", jpeg_bytes())


def test_a_truncated_image_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a readable PNG"):
        checked("cut.png", png_bytes((64, 64))[:60])


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "archive.zip", "noextension"])
def test_other_types_are_refused_with_what_is_accepted(name: str) -> None:
    with pytest.raises(ValidationError, match=r"only screenshots, photos and PDFs are accepted"):
        checked(name, png_bytes())


def test_too_large_is_refused_with_the_limit(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    big = png_bytes((200, 200)) + b"\0" * 2048
    with pytest.raises(ValidationError, match=r"big\.png is \d+ KB; evidence files may be at most 1 KB"):
        files.check("big.png", io.BytesIO(big), len(big))
    # Without a declared size (e.g. a stream), reading stops just past the limit.
    with pytest.raises(ValidationError, match="larger than"):
        files.check("big.png", io.BytesIO(big))


def test_empty_files_are_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        checked("blank.png", b"")


def test_stored_outside_the_web_root_owner_only_and_checked_when_read(evidence_dir: Any) -> None:
    item = checked("shot.png", png_bytes())
    stored = files.store(item)
    path = evidence_dir / stored.name
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert "shot" not in stored.name  # the stored name says nothing about the file
    row = Evidence(
        stored_name=stored.name,
        sha256=item.sha256,
        wrapped_key=stored.key.wrapped_key,
        key_nonce=stored.key.key_nonce,
        key_id=stored.key.key_id,
    )
    assert files.read(row) == item.data
    path.write_bytes(b"tampered")
    with pytest.raises(ValidationError, match="altered"):
        files.read(row)
    files.remove(stored.name)
    assert not path.exists()
