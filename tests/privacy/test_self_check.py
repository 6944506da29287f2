"""The connection self-check on the web: each export format is matched, the result is shown to the
person only, and nothing from the upload is stored (database and disk searched afterwards)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import connection

from socialguard.audit.selectors import audit_verify
from socialguard.identity.roles import Role
from socialguard.privacy.models import SelfCheck
from tests.privacy import samples

# Names that appear only in the uploads: none of them may be anywhere afterwards.
SECRET_NAMES = [
    "Zebedee",
    "Quillfeather",
    "Xanthippe",
    "Moonwhistle",
    "zebedee-quillfeather",
    "qzx_secret_handle",
]


def database_text() -> str:
    """Every row of every table, as text: what a database dump would hold."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts += [repr(row) for row in cursor.fetchall()]
    return "\n".join(parts)


def disk_text(since: float) -> str:
    """The text of every file written since `since` under the data, media and temporary directories."""
    found = []
    # Django spools uploads straight into the temporary directory (FILE_UPLOAD_TEMP_DIR is unset);
    # the data and media directories are searched all the way down.
    paths = list(Path(tempfile.gettempdir()).iterdir())
    for root in {Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)}:
        paths += list(root.rglob("*")) if root.exists() else []
    for path in paths:
        try:
            if path.is_file() and path.stat().st_mtime >= since and path.stat().st_size < 50_000_000:
                found.append(path.read_bytes().decode("utf-8", "replace"))
        except OSError:
            continue
    return "\n".join(found)


def test_the_search_would_find_a_stored_name(register: dict[str, Any], tmp_path: Path, settings: Any) -> None:
    """The searches below are worth something: a name in any table, or in a new file, is found."""
    since = time.time() - 1
    register["tutor"].job_title = "Quillfeather"
    register["tutor"].save()
    assert "quillfeather" in database_text().lower()
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "spooled.upload").write_text("Xanthippe")
    assert "Xanthippe" in disk_text(since)


def assert_nothing_stored(since: float) -> None:
    stored = database_text() + disk_text(since)
    for name in SECRET_NAMES:
        assert name.lower() not in stored.lower(), f"{name} was stored"


UPLOADS = [
    ("Connections.csv", samples.LINKEDIN, "linkedin", ["Dan Young", "Fay Young"]),
    ("your_friends.json", samples.FACEBOOK, "facebook", ["Dän Yöung"]),  # Eve Former: past, adult
    (
        "followers_1.json",
        samples.instagram_followers(["qzx_secret_handle", "dan_y16"]),
        "instagram",
        ["@dan_y16"],
    ),
    (
        "following.json",
        samples.instagram_following(["qzx_secret_handle", "DAN_Y16"]),
        "instagram",
        ["@dan_y16"],
    ),
    ("follower.js", samples.x_archive("follower", ["998877", "424242"]), "x", ["X account 424242"]),
    ("following.js", samples.x_archive("following", ["424242"]), "x", ["X account 424242"]),
]


@pytest.mark.parametrize(("filename", "data", "source", "expected"), UPLOADS)
def test_each_export_is_matched_and_nothing_of_it_is_stored(
    staff_client: Any,
    register: dict[str, Any],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    filename: str,
    data: bytes,
    source: str,
    expected: list[str],
) -> None:
    client, _ = staff_client
    learner = register["young"]
    learner.social_handles = "@dan_y16\n424242"
    learner.save()
    # A file bigger than this would be spooled to a temporary file by Django's own handlers.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    spooled = []
    monkeypatch.setattr(TemporaryUploadedFile, "__init__", lambda *a, **k: spooled.append(1) or None)
    since = time.time() - 1
    response = client.post(
        "/privacy/connections/", {"source": source, "export": SimpleUploadedFile(filename, data)}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    for name in expected:
        assert name in page
    assert "5.2 Acceptance of friends" in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    assert spooled == []
    check = SelfCheck.objects.get()
    assert check.matches == len(expected)
    assert_nothing_stored(since)
    assert audit_verify().ok


def test_pasted_handles_and_the_recorded_resolution(staff_client: Any, register: dict[str, Any]) -> None:
    client, _ = staff_client
    since = time.time() - 1
    response = client.post(
        "/privacy/connections/",
        {"source": "pasted", "pasted": "Young, Fay\n@qzx_secret_handle\nZebedee Quillfeather"},
    )
    page = response.content.decode()
    assert "Young, Fay" in page and "parent or guardian" in page
    check = SelfCheck.objects.get()
    response = client.post(f"/privacy/connections/{check.pk}/resolved/", {"resolved": 1})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.matches, check.resolved) == (1, 1)
    assert_nothing_stored(since)


def test_no_match_says_so(staff_client: Any) -> None:
    client, _ = staff_client
    response = client.post("/privacy/connections/", {"pasted": "Zebedee Quillfeather"})
    assert "Nobody to review" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "source", "message"),
    [
        (samples.FACEBOOK, "linkedin", "but this file is Facebook"),
        ("First Name,Last Name\nZo\xe9,Quillfeather\n".encode("cp1252"), "", "not UTF-8 text"),
        (b'{"inbox": []}', "", "not a friends, followers or following list"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_recorded(
    staff_client: Any, data: bytes, source: str, message: str
) -> None:
    client, _ = staff_client
    response = client.post(
        "/privacy/connections/", {"source": source, "export": SimpleUploadedFile("f", data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SelfCheck.objects.exists()


def test_a_file_over_the_limit_is_refused_in_memory(staff_client: Any, settings: Any) -> None:
    client, _ = staff_client
    settings.SELF_CHECK_MAX_BYTES = 1000
    big = samples.LINKEDIN + b"Zebedee,Quillfeather,,,,,\n" * 200
    response = client.post("/privacy/connections/", {"export": SimpleUploadedFile("Connections.csv", big)})
    assert response.status_code == 413
    assert "the most a connection check reads" in response.content.decode()
    assert not SelfCheck.objects.exists()


def test_only_staff_with_a_record_can_check(client_for: Any) -> None:
    client = client_for(Role.STAFF)
    response = client.post("/privacy/connections/", {"pasted": "@someone"})
    assert "not linked to a staff record" in response.content.decode()
    assert client_for().get("/privacy/connections/").status_code == 403


def test_the_result_is_not_kept_in_the_session_or_messages(
    staff_client: Any, register: dict[str, Any]
) -> None:
    client, _ = staff_client
    client.post("/privacy/connections/", {"pasted": "Fay Young\nZebedee Quillfeather"})
    follow = client.get("/privacy/")
    assert "Zebedee" not in follow.content.decode()
    assert "Fay Young" not in follow.content.decode()
