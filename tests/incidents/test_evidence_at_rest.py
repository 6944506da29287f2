"""Evidence files are encrypted at rest with the vault's envelope keys: the file on disk never
holds what was uploaded, downloads return the original with the same headers, a master-key
rotation re-wraps the files' data keys (interruptible, resumable) so the old key is no longer
needed, and files stored before encryption are encrypted in place while staying readable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import LazySettings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from socialguard.accounts import crypto, vault
from socialguard.accounts.models import OrgAccount
from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.incidents import evidence as files
from socialguard.incidents import services
from socialguard.incidents.models import Case, Evidence
from tests.case_fixtures import MARKER, checked, png_bytes
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

# A PDF that says the marker in plain bytes: any copy of it on disk would show.
PDF = (
    b"%PDF-1.4\n% "
    + MARKER.encode()
    + b" screenshot of the messages\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
)


def _report(team: dict[str, Any], n: int = 1) -> Case:
    return services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="Offensive reply",
        attachments=[checked(f"page{i}.pdf", PDF) for i in range(n)],
    )


def _on_disk(item: Evidence) -> bytes:
    return (Path(files.storage_dir()) / item.stored_name).read_bytes()


def _download(team: dict[str, Any], item: Evidence) -> Any:
    return sign_in(Client(), team["smt"]).get(f"/cases/evidence/{item.pk}/")


def test_the_file_on_disk_holds_no_plaintext_and_downloads_return_the_original(
    team: dict[str, Any], evidence_dir: Any
) -> None:
    item = _report(team).evidence.get()
    blob = _on_disk(item)
    assert MARKER.encode() not in blob and b"%PDF" not in blob
    assert item.key_id == vault.current_key().key_id and bytes(item.wrapped_key)
    response = _download(team, item)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="page0.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private, no-store")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    secret = token_create(user=team["smt"], name="t", scope=TokenScope.READ).secret
    api = Client().get(f"/api/v1/cases/evidence/{item.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200 and api.content == PDF


def test_images_are_still_checked_by_content_and_served_back(team: dict[str, Any], evidence_dir: Any) -> None:
    image = png_bytes((20, 20))
    case = services.report_submit(
        actor=team["tutor"].user, category="offensive", summary="x", attachments=[checked("s.png", image)]
    )
    item = case.evidence.get()
    assert item.content_type == "image/png" and not _on_disk(item).startswith(b"\x89PNG")
    assert _download(team, item).content == image


def test_an_altered_or_swapped_file_is_refused(team: dict[str, Any], evidence_dir: Any) -> None:
    first, second = _report(team, n=2).evidence.all()
    path = Path(files.storage_dir()) / first.stored_name
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1
    path.write_bytes(bytes(blob))
    assert _download(team, first).status_code == 410
    # Another record's file, under its own valid encryption, does not open as this one.
    path.write_bytes(_on_disk(second))
    assert _download(team, first).status_code == 410
    assert _download(team, second).status_code == 200


def test_rotation_rewraps_evidence_keys_resumably_and_the_old_key_is_then_not_needed(
    team: dict[str, Any], evidence_dir: Any, settings: LazySettings, make_user: Any
) -> None:
    from socialguard.identity.roles import Role

    account = OrgAccount.objects.create(platform="instagram", handle="@dmm", login_email="s@dmm.example")
    vault.secret_store(actor=make_user(Role.SMT), account=account, kind="password", value="Pa55-word-xyzzy!!")
    items = list(_report(team, n=3).evidence.all())
    blobs = [_on_disk(i) for i in items]
    old, new = vault.current_key(), crypto.generate_key()

    def crash_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        vault.rotate_master_key(new_key=new, progress=crash_after_two)
    settings.VAULT_KEY, settings.VAULT_PREVIOUS_KEY = new.to_text(), old.to_text()
    for item in items:  # half-way, everything still opens
        item.refresh_from_db()
        assert _download(team, item).content == PDF
    assert vault.rotate_master_key(new_key=new) == 2  # the rerun finishes the rest
    assert vault.rotate_master_key(new_key=new) == 0
    assert set(Evidence.objects.values_list("key_id", flat=True)) == {new.key_id}
    assert [_on_disk(i) for i in items] == blobs  # only the keys were re-wrapped, no file rewritten
    settings.VAULT_PREVIOUS_KEY = ""  # the old key is gone
    for item in items:
        item.refresh_from_db()
        assert _download(team, item).content == PDF
    event = AuditEvent.objects.filter(action="vault.master_key_rotated").order_by("-seq").first()
    assert event is not None and event.after["files"] == 0
    assert AuditEvent.objects.filter(action="vault.master_key_rotated", after__files=2).exists()
    settings.VAULT_KEY = old.to_text()  # the old key alone opens nothing now
    assert _download(team, items[0]).status_code == 410


def _as_stored_before_encryption(case: Case) -> list[Evidence]:
    """Put a case's files back as evidence was stored before: plain files, no data keys."""
    items = list(case.evidence.all())
    for item in items:
        path = Path(files.storage_dir()) / item.stored_name
        path.write_bytes(files.read(item))
    Evidence.objects.filter(case=case).update(key_id="", wrapped_key=b"", key_nonce=b"")
    return [Evidence.objects.get(pk=i.pk) for i in items]


def test_files_stored_before_are_encrypted_in_place_idempotently_and_read_meanwhile(
    team: dict[str, Any], evidence_dir: Any
) -> None:
    items = _as_stored_before_encryption(_report(team, n=2))
    assert all(MARKER.encode() in _on_disk(i) for i in items)
    assert _download(team, items[0]).content == PDF  # readable before
    runner = CliRunner()
    first = runner.invoke(main, ["cases", "encrypt-evidence"])
    assert first.exit_code == 0, first.output
    assert "Encrypted 2 evidence files" in first.output
    for item in items:
        item.refresh_from_db()
        assert MARKER.encode() not in _on_disk(item) and item.key_id == vault.current_key().key_id
        assert _download(team, item).content == PDF
    again = runner.invoke(main, ["cases", "encrypt-evidence"])
    assert again.exit_code == 0 and "Encrypted 0 evidence files" in again.output
    assert [
        e.after["encrypted"]
        for e in AuditEvent.objects.filter(action="cases.evidence_encrypted").order_by("seq")
    ] == [
        2,
        0,
    ]
    check = runner.invoke(main, ["vault", "check"])
    assert check.exit_code == 0 and "2 evidence files" in check.output


def test_an_interrupted_in_place_encryption_reads_throughout_and_resumes(
    team: dict[str, Any], evidence_dir: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = _as_stored_before_encryption(_report(team))

    def power_cut(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt  # after the key is committed and the encrypted copy written

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        services.evidence_encrypt_existing()
    monkeypatch.undo()
    item.refresh_from_db()
    assert item.key_id  # the key was committed first ...
    assert MARKER.encode() in _on_disk(item)  # ... while the file is still the plain one
    assert _download(team, item).content == PDF
    assert services.evidence_encrypt_existing() == 1
    assert MARKER.encode() not in _on_disk(item) and _download(team, item).content == PDF
    assert not list(Path(files.storage_dir()).glob("*.tmp"))


def test_evidence_keys_alone_stop_a_start_with_another_vault_key(
    team: dict[str, Any], evidence_dir: Any, settings: Any
) -> None:
    sealed_with = settings.VAULT_KEY
    _as_stored_before_encryption(_report(team))
    settings.VAULT_KEY = crypto.generate_key().to_text()
    call_command("check", tags=["vault"])  # plain files hold no key (yet): nothing to lose
    settings.VAULT_KEY = sealed_with
    _report(team)
    settings.VAULT_KEY = crypto.generate_key().to_text()
    with pytest.raises(SystemCheckError, match=r"vault\.E001"):
        call_command("check", tags=["vault"])
    settings.VAULT_KEY = sealed_with
    call_command("check", tags=["vault"])


def test_a_missing_file_is_named_and_the_rest_are_still_encrypted(
    team: dict[str, Any], evidence_dir: Any
) -> None:
    gone, kept = _as_stored_before_encryption(_report(team, n=2))
    (Path(files.storage_dir()) / gone.stored_name).unlink()
    result = CliRunner().invoke(main, ["cases", "encrypt-evidence"])
    assert result.exit_code == 1
    assert (
        f"1 evidence file(s) are missing or altered and were left as they are (evidence ids {gone.pk})"
        in (result.output)
    )
    assert MARKER.encode() not in _on_disk(kept) and _download(team, kept).content == PDF
