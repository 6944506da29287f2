"""Evidence, signed consent forms and post media are written and read through Django's STORAGES
(`evidence`, `media`), so that another store is a matter of settings: a second directory
configured here receives the files, the default keeps them owner-only where they always were,
and a file written before the stores existed (straight into DATA_DIR/evidence) still reads."""

from __future__ import annotations

import io
import os
import secrets
import stat
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.storage import InMemoryStorage
from django.test import override_settings

from socialguard.accounts import crypto, vault
from socialguard.consent import services as consent_services
from socialguard.consent.models import Evidence as ConsentEvidence
from socialguard.content import media
from socialguard.incidents import evidence as files
from socialguard.incidents.models import Evidence
from socialguard.settings import STORAGES
from socialguard.storage import backends, sealed
from tests.case_fixtures import checked, png_bytes

PDF = b"%PDF-1.4\n% the screenshot of the messages\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def data_dir(settings: LazySettings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "files"
    return tmp_path / "data"


def elsewhere(tmp_path: Path) -> dict[str, Any]:
    """STORAGES with evidence and media in a second, separately configured directory."""
    other = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "evidence": {**other, "OPTIONS": {"location": str(tmp_path / "other" / "evidence")}},
        "media": {**other, "OPTIONS": {"location": str(tmp_path / "other" / "media")}},
    }


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_evidence_is_written_and_read_through_the_configured_store(data_dir: Path, tmp_path: Path) -> None:
    with override_settings(STORAGES=elsewhere(tmp_path)):
        stored = sealed.store(checked("page.pdf", PDF))
        landed = tmp_path / "other" / "evidence" / stored.name
        assert landed.is_file() and PDF not in landed.read_bytes()  # encrypted before the store sees it
        assert not (data_dir / "evidence" / stored.name).exists()
        item = Evidence(stored_name=stored.name, sha256=checked("page.pdf", PDF).sha256,
                        wrapped_key=stored.key.wrapped_key, key_nonce=stored.key.key_nonce,
                        key_id=stored.key.key_id)  # fmt: skip
        assert files.read(item) == PDF
        files.remove(stored.name)
        assert not landed.exists()


@pytest.mark.django_db
def test_a_signed_consent_form_goes_to_the_evidence_store(
    make_user: Any, data_dir: Path, tmp_path: Path
) -> None:
    from socialguard.identity.roles import Role
    from socialguard.people.models import Learner

    Learner.objects.create(external_id="L1", first_name="Lea", last_name="Rner")
    smt = make_user(Role.SMT, email="smt@dmm.example", name="Sam Senior")
    with override_settings(STORAGES=elsewhere(tmp_path)):
        record = consent_services.consent_record(
            actor=smt, kind="learner", ref="L1", status="given", given_on=dt_today(),
            evidence=ConsentEvidence.FORM, form=consent_services.Upload("signed.pdf", io.BytesIO(PDF)),
        )  # fmt: skip
        assert record.form is not None
        assert (tmp_path / "other" / "evidence" / record.form.stored_name).is_file()
        assert sealed.read(record.form) == PDF
    assert not (data_dir / "evidence").exists()


def dt_today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def test_post_media_is_written_and_read_through_the_configured_store(data_dir: Path, tmp_path: Path) -> None:
    photo = media.check("team.png", io.BytesIO(png_bytes()))
    with override_settings(STORAGES=elsewhere(tmp_path)):
        name = media.store(photo)
        assert (tmp_path / "other" / "media" / name).read_bytes() == photo.data
        assert not (data_dir / "files" / "content-media" / name).exists()
        assert media.read(name, photo.sha256) == photo.data
        media.remove(name)
        assert not (tmp_path / "other" / "media" / name).exists()


def test_the_default_stores_are_owner_only_where_the_files_always_were(data_dir: Path) -> None:
    stored = sealed.store(checked("page.pdf", PDF))
    evidence = data_dir / "evidence"
    assert (evidence / stored.name).is_file()
    assert mode(evidence / stored.name) == 0o600 and mode(evidence) == 0o700
    name = media.store(media.check("team.png", io.BytesIO(png_bytes())))
    content_media = data_dir / "files" / "content-media"
    assert mode(content_media / name) == 0o600 and mode(content_media) == 0o700
    assert files.storage_dir() == evidence and media.storage_dir() == content_media


def test_the_default_store_follows_data_dir(settings: LazySettings, tmp_path: Path) -> None:
    # Read on each use, as the paths were before: a changed DATA_DIR moves the store at once.
    for where in ("one", "two"):
        settings.DATA_DIR = tmp_path / where
        stored = sealed.store(checked("page.pdf", PDF))
        assert (tmp_path / where / "evidence" / stored.name).is_file()


def test_a_file_written_before_the_stores_still_reads(data_dir: Path) -> None:
    # Exactly what the old incidents.evidence.store did: encrypt, then os.open into DATA_DIR/evidence.
    name = secrets.token_hex(20)
    aad = f"socialguard-evidence:{name}".encode()
    data_key, wrapped = crypto.new_data_key(vault.current_key(), aad)
    folder = data_dir / "evidence"
    folder.mkdir(mode=0o700, parents=True)
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(crypto.encrypt_blob(data_key, PDF, aad))
    item = Evidence(stored_name=name, sha256=checked("p.pdf", PDF).sha256, wrapped_key=wrapped.wrapped_key,
                    key_nonce=wrapped.key_nonce, key_id=wrapped.key_id)  # fmt: skip
    assert files.read(item) == PDF
    # And a plain one, stored before evidence was encrypted at all.
    (folder / "plain").write_bytes(PDF)
    assert files.read(Evidence(stored_name="plain", sha256=item.sha256)) == PDF


def test_a_store_that_has_no_local_path_replaces_a_file_whole() -> None:
    remote = InMemoryStorage()  # like an object store: no paths
    backends.save_new(remote, "a", b"old")
    backends.replace(remote, "a", b"new")
    assert backends.read(remote, "a") == b"new" and backends.local_path(remote) is None
