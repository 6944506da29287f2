"""Importing, publishing and reviewing versions; versions never change once made."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.policies import selectors, services
from socialguard.policies.models import PolicyVersion, ReviewStatus, VersionStatus
from socialguard.policies.services import PolicyImportError
from tests.policy_fixtures import V1, V2, import_version


def test_import_makes_a_draft_with_clauses_and_an_audit_event(people: dict[str, Any]) -> None:
    version = import_version(people["qd"], V1)
    assert version.status == VersionStatus.DRAFT and version.number == 1
    assert version.issue_date == dt.date(2022, 2, 1)
    assert version.clauses.get(key="5.2").parent_key == "5"
    assert len(version.text_hash) == 64
    event = AuditEvent.objects.get(action="policy.version_imported")
    assert event.after["hash"] == version.text_hash and event.after["clauses"] == 8


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "p.md", "p.md: the file is empty"),
        (b"# T\n\n5.1 x", "p.pdf", "p.pdf: use a Markdown (.md) or Word (.docx) file"),
        (b"# T\n\nline\n\xff\xfe", "p.md", "p.md, line 4: is not UTF-8"),
        (b"just some words with no sections", "p.md", "p.md: no clauses found"),
        (b"not a zip file", "p.docx", "p.docx: cannot be read as a Word document"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(
    people: dict[str, Any], data: bytes, name: str, message: str
) -> None:
    with pytest.raises(PolicyImportError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.policy_import(actor=people["qd"], data=data, filename=name)
    assert not PolicyVersion.objects.exists()


WORD_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
WORD_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _word_bomb(unpacked_mb: int) -> bytes:
    """A small .docx whose document.xml unpacks to `unpacked_mb` MB of one repeated paragraph."""
    import io
    import zipfile

    para = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", WORD_TYPES)
        archive.writestr("_rels/.rels", WORD_RELS)
        with archive.open("word/document.xml", "w") as part:
            part.write(
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            )
            for _ in range(unpacked_mb * 1024 * 1024 // len(para)):
                part.write(para)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def test_a_word_file_that_unpacks_to_far_more_than_its_size_is_refused_before_it_is_read(
    people: dict[str, Any],
) -> None:
    """A .docx is a zip: 100 KB of it unpacked to 50 MB of XML that python-docx parsed whole (20 s
    of the web worker's time, and a 2 MB file to gigabytes of memory). Its size once unpacked is
    read from the zip's directory first; nothing else is."""
    bomb = _word_bomb(40)
    assert len(bomb) < services.MAX_POLICY_BYTES // 10
    started = time.monotonic()
    with pytest.raises(
        PolicyImportError, match=r"^p\.docx: unpacks to more than 10 MB; a policy is far smaller"
    ):
        services.policy_import(actor=people["qd"], data=bomb, filename="p.docx")
    assert time.monotonic() - started < 2
    assert not PolicyVersion.objects.exists()


def test_a_word_file_whose_zip_lies_about_its_sizes_is_refused_as_damaged(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sizes a zip declares are the file's own word: a directory saying document.xml is 1 KB,
    over data that unpacks to 400 MB, passed a check of the declared sizes, and Python's zipfile
    then decompressed the whole part before cutting it to 1 KB (900 MB of memory). The parts are
    now unpacked a piece at a time and counted; one that does not match its declaration is damaged."""
    import struct

    data = bytearray(_word_bomb(40))
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # each central directory entry
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if bytes(data[at + 46 : at + 46 + length]) == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, 1000)  # its uncompressed size
        at += 4
    from socialguard.policies import outline

    def never(data: bytes) -> str:
        raise AssertionError("python-docx was given the file")

    monkeypatch.setattr(outline, "docx_to_markdown", never)
    started = time.monotonic()
    with pytest.raises(PolicyImportError, match=r"^p\.docx: cannot be read as a Word document \(Bad CRC"):
        services.policy_import(actor=people["qd"], data=bytes(data), filename="p.docx")
    assert time.monotonic() - started < 2
    assert not PolicyVersion.objects.exists()


def test_importing_the_same_text_twice_is_refused(people: dict[str, Any]) -> None:
    import_version(people["qd"], V1)
    with pytest.raises(PolicyImportError, match="identical to version 1"):
        import_version(people["qd"], V1.replace("\n", "\r\n"))


def test_versions_are_immutable(published: dict[str, Any]) -> None:
    v1 = published["v1"]
    v1.text = "something else"
    with pytest.raises(ValidationError, match="cannot be changed"):
        v1.save()
    v1.refresh_from_db()
    v1.next_review_date = dt.date(2030, 1, 1)
    with pytest.raises(ValidationError, match="next_review_date"):
        v1.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        v1.delete()


def test_publishing_retires_the_old_version_and_records_why(published: dict[str, Any]) -> None:
    qd, v1 = published["qd"], published["v1"]
    assert v1.status == VersionStatus.PUBLISHED and v1.change_summary == "first published version"
    v2 = import_version(qd, V2)
    services.version_publish(
        actor=qd, version=v2, next_review_date=timezone.localdate() + dt.timedelta(days=365)
    )
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED
    assert v2.status == VersionStatus.PUBLISHED
    assert v2.change_summary == "clauses 4.1 and 5.2 changed; clause 5.6 added"
    assert selectors.current_version() == v2
    assert v2.document.next_review_date == timezone.localdate() + dt.timedelta(days=365)
    with pytest.raises(ValidationError, match="only a draft"):
        services.version_publish(actor=qd, version=v1)


def test_publish_refuses_a_review_date_before_the_issue_date(people: dict[str, Any]) -> None:
    v1 = import_version(people["qd"], V1)
    with pytest.raises(ValidationError, match="after the issue date"):
        services.version_publish(
            actor=people["qd"],
            version=v1,
            issue_date=dt.date(2025, 1, 1),
            next_review_date=dt.date(2024, 1, 1),
        )
    v1.refresh_from_db()
    assert v1.status == VersionStatus.DRAFT


def test_review_state_shows_years_overdue(published: dict[str, Any]) -> None:
    document = published["v1"].document
    document.next_review_date = dt.date(2023, 2, 1)
    document.save()
    state = selectors.review_state(document, today=dt.date(2026, 11, 24))
    assert state.state == "overdue"
    assert state.describe == "review overdue since 1 February 2023 (3 years)"
    assert selectors.review_state(document, today=dt.date(2023, 1, 1)).state == "due-soon"
    assert selectors.review_state(document, today=dt.date(2022, 6, 1)).state == "ok"


def test_review_comments_per_clause_then_reconfirm(published: dict[str, Any]) -> None:
    qd, smt, v1 = published["qd"], published["smt"], published["v1"]
    review = services.review_start(actor=qd, document=v1.document)
    with pytest.raises(ValidationError, match="already open"):
        services.review_start(actor=qd, document=v1.document)
    services.review_comment_add(actor=smt, review=review, version=v1, clause_key="5.2", text="Update LSCB.")
    with pytest.raises(ValidationError, match=r"no clause '9\.9'"):
        services.review_comment_add(actor=smt, review=review, version=v1, clause_key="9.9", text="x")
    with pytest.raises(ValidationError):
        services.review_comment_add(actor=smt, review=review, version=v1, clause_key="5.2", text="  ")
    next_year = timezone.localdate() + dt.timedelta(days=365)
    with pytest.raises(ValidationError, match="future"):
        services.review_reconfirm(actor=qd, review=review, next_review_date=timezone.localdate())
    services.review_reconfirm(actor=qd, review=review, next_review_date=next_year, note="Still right.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECONFIRMED
    assert review.document.next_review_date == next_year
    assert selectors.review_state(review.document).state == "ok"
    assert [c.clause_key for c in review.comments.all()] == ["5.2"]
    assert AuditEvent.objects.filter(action="policy.reconfirmed").get().after["note"] == "Still right."


def test_publishing_during_a_review_closes_it(published: dict[str, Any]) -> None:
    qd, v1 = published["qd"], published["v1"]
    review = services.review_start(actor=qd, document=v1.document)
    v2 = import_version(qd, V2)
    services.version_submit_for_review(actor=qd, version=v2)
    services.version_publish(actor=qd, version=v2)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.result_version == v2


def test_clauses_cannot_be_edited_either(published: dict[str, Any]) -> None:
    clause = published["v1"].clauses.get(key="5.2")
    clause.text = "Anything goes."
    with pytest.raises(ValidationError, match="immutable"):
        clause.save()
