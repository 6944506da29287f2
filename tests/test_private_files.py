"""What socialguard writes is for its own user only: the data folder 0700; the database, the keys,
mail (which holds password-reset links when there is no SMTP server) and uploads 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from socialguard import env as E
from tests.processes import cli, on_postgres, prepare


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_setup_and_mail_leave_nothing_readable_by_others(db: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = prepare(data, own_setup=True)
    sent = cli(env, "manage", "sendtestemail", "someone@dmm.example")
    assert sent.returncode == 0, sent.stderr
    assert mode(data) == 0o700
    private = [data / "secret_key", data / "vault_key"]
    if not on_postgres():
        private.append(data / "socialguard.sqlite3")
    (message,) = (data / "mail").iterdir()
    for path in [*private, message]:
        assert mode(path) == 0o600, path
    assert mode(data / "mail") == 0o700


def test_uploaded_files_are_private(db: Any) -> None:
    name = default_storage.save("private-test/evidence.txt", ContentFile(b"screenshot"))
    try:
        path = Path(default_storage.path(name))
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
    finally:
        default_storage.delete(name)
        Path(default_storage.path("private-test")).rmdir()


def test_an_older_data_folder_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "var"
    (data / "mail").mkdir(parents=True)
    for path in (data / "socialguard.sqlite3", data / "vault_key", data / "mail" / "reset.log"):
        path.write_text("x")
        path.chmod(0o644)
    data.chmod(0o755)
    (data / "mail").chmod(0o755)
    E.private_data_dir(data)
    assert mode(data) == 0o700 and mode(data / "mail") == 0o700
    assert {
        mode(p) for p in (data / "socialguard.sqlite3", data / "vault_key", data / "mail" / "reset.log")
    } == {0o600}


def test_a_new_data_folder_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert mode(E.private_data_dir(tmp_path / "new" / "data")) == 0o700
    finally:
        os.umask(old)
