"""`socialguard backup` and `socialguard restore`: the database, the evidence files and, when
asked, the keys, in one folder (docs/backup.md).

A backup without its keys is by design: the vault key and the audit key should be kept apart
from the data they protect. `restore` puts the keys back first (before any settings are loaded,
so that no new key is generated in their place), then the database and the files, then checks
that the vault opens and the audit chain verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
# Case evidence under DATA_DIR (incidents.evidence.storage_dir; named here, not imported, as the
# restore half runs before Django is set up).
EVIDENCE_DIR = "evidence"
# Key files under DATA_DIR that a restore puts back (the audit key once the audit chain is keyed).
KEY_FILES = ("secret_key", "vault_key", "audit_key")
KEY_VARIABLES = {
    "secret_key": "SOCIALGUARD_SECRET_KEY",
    "vault_key": "SOCIALGUARD_VAULT_KEY",
    "audit_key": "SOCIALGUARD_AUDIT_KEY",
}


class BackupError(Exception):
    """Something stops a backup or restore; the message says what and where."""


@dataclass(frozen=True)
class Database:
    vendor: str  # "sqlite" or "postgresql"
    name: str  # the SQLite file, or the PostgreSQL database name
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_url(cls, url: str) -> Database:
        import dj_database_url

        parsed: Any = dj_database_url.parse(url)
        vendor = "sqlite" if parsed["ENGINE"].endswith("sqlite3") else "postgresql"
        return cls(
            vendor,
            str(parsed["NAME"]),
            str(parsed.get("USER") or ""),
            str(parsed.get("PASSWORD") or ""),
            str(parsed.get("HOST") or ""),
            str(parsed.get("PORT") or ""),
        )

    def pg_args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def pg_env(self) -> dict[str, str]:
        # The password goes by environment, never on a command line that `ps` shows.
        return {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{what} needs `{argv[0]}` (PostgreSQL's client tools) on the PATH") from None
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {argv[0]} said: {done.stderr.strip()[-2000:]}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the web app and worker write."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _write_private(path: Path, text: str, *, replace: bool = False) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def backup_create(*, dest: Path, with_keys: bool) -> dict[str, Any]:
    """Write a backup of the configured database, DATA_DIR/files and (with_keys) the keys to
    `dest`, a new or empty folder. Django must be set up. Returns the manifest."""
    from django.conf import settings
    from django.db import connection

    from socialguard import __version__
    from socialguard.accounts.models import VaultSecret
    from socialguard.accounts.vault import current_key
    from socialguard.audit.models import AuditEvent

    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest}: is not empty; back up into a new folder")
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = Database.from_url(_database_url())
    if database.vendor == "sqlite":
        _sqlite_copy(Path(database.name), dest / SQLITE_FILE)
        (dest / SQLITE_FILE).chmod(0o600)
    else:
        _run(
            [
                *["pg_dump", "--format=custom", "--no-owner", "--no-privileges"],
                *["--file", str(dest / PG_FILE), *database.pg_args(), "--dbname", database.name],
            ],
            database.pg_env(),
            "pg_dump",
        )
    copied = 0
    # Uploaded files (post media) live under MEDIA_ROOT; case evidence, encrypted, outside it
    # in DATA_DIR/evidence (incidents.evidence.storage_dir), so that no URL can reach it.
    for source, name in (
        (Path(settings.MEDIA_ROOT), "files"),
        (Path(settings.DATA_DIR) / EVIDENCE_DIR, EVIDENCE_DIR),
    ):
        if source.is_dir():
            shutil.copytree(source, dest / name)
    evidence = dest / EVIDENCE_DIR
    copied = sum(1 for p in evidence.rglob("*") if p.is_file()) if evidence.is_dir() else 0
    uploaded = sum(1 for p in (dest / "files").rglob("*") if p.is_file()) if (dest / "files").is_dir() else 0
    keys: list[str] = []
    if with_keys:
        (dest / "keys").mkdir(mode=0o700)
        values = {
            "secret_key": settings.SECRET_KEY,
            "vault_key": settings.VAULT_KEY,
            "audit_key": getattr(settings, "AUDIT_KEY", "")
            or _file_text(Path(settings.DATA_DIR) / "audit_key"),
        }
        if settings.VAULT_PREVIOUS_KEY:
            values["vault_previous_key"] = settings.VAULT_PREVIOUS_KEY
        for name, value in values.items():
            if value:
                _write_private(dest / "keys" / name, str(value))
                keys.append(name)
    connection.close()
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "socialguard": __version__,
        "database": database.vendor,
        "vault_key_id": current_key().key_id,
        "vault_secrets": VaultSecret.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "evidence_files": copied,
        "uploaded_files": uploaded,
        "keys": keys,
    }
    _write_private(dest / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return manifest


def _file_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _database_url() -> str:
    from socialguard import env as E

    return E.database_url(os.environ, _data_dir())


def _data_dir() -> Path:
    """DATA_DIR as the settings will compute it, without loading them (which would generate keys)."""
    from socialguard import env as E

    return E.data_dir(os.environ, Path(__file__).resolve().parents[2])


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source}: has no {MANIFEST}; is it a socialguard backup?") from None
    except ValueError as exc:
        raise BackupError(f"{source / MANIFEST}: is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST}: unknown backup format {manifest.get('format')!r}")
    return manifest


def restore_files_and_keys(*, source: Path, force: bool) -> list[str]:
    """The Django-free half of a restore: keys first, then the database, then the evidence files,
    into the DATA_DIR and database the environment names. Returns notes for the operator."""
    manifest = read_manifest(source)
    data = _data_dir()
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    notes = []
    for name in KEY_FILES:
        saved = source / "keys" / name
        if not saved.is_file():
            continue
        variable = KEY_VARIABLES[name]
        if os.environ.get(variable) or os.environ.get(f"{variable}_FILE"):
            notes.append(f"{name}: {variable} is set, so the backup's copy ({saved}) was not installed")
            continue
        target, value = data / name, saved.read_text(encoding="utf-8").strip()
        if target.exists() and _file_text(target) != value and not force:
            raise BackupError(
                f"{target}: holds a different {name} than the backup; move it away or use --force"
            )
        _write_private(target, value, replace=True)
    previous = source / "keys" / "vault_previous_key"
    if previous.is_file():
        notes.append(
            f"the backup was taken mid key rotation: set SOCIALGUARD_VAULT_PREVIOUS_KEY_FILE={previous} "
            "until `socialguard vault rotate-key` has finished"
        )
    database = Database.from_url(_database_url())
    if database.vendor != manifest.get("database"):
        raise BackupError(
            f"the backup holds a {manifest.get('database')} database but SOCIALGUARD_DATABASE_URL names "
            f"a {database.vendor} one"
        )
    if database.vendor == "sqlite":
        target = Path(database.name)
        if target.exists() and target.stat().st_size and not force:
            raise BackupError(
                f"{target}: a database is already there; restore into a fresh one or use --force"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        _sqlite_copy(source / SQLITE_FILE, target)
        target.chmod(0o600)
    else:
        argv = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            argv += ["--clean", "--if-exists"]
        _run(
            [*argv, *database.pg_args(), "--dbname", database.name, str(source / PG_FILE)],
            database.pg_env(),
            "pg_restore",
        )
    for name in ("files", EVIDENCE_DIR):
        if (source / name).is_dir():
            shutil.copytree(source / name, data / name, dirs_exist_ok=True)
    return notes
