"""`socialguard backup` and `restore`, round trip with real processes: data made with a vault
secret, an audit trail and an evidence file, backed up, restored into a fresh data folder and
database; the secret still opens and the chain verifies. Without the vault key, nothing starts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.processes import child_env, cli, on_postgres, prepare, shared_database_url

MAKE_DATA = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from socialguard.accounts import vault
from socialguard.accounts.models import OrgAccount
from socialguard.identity.roles import Role
from socialguard.identity.services import user_create
smt = user_create(actor=None, email="sarah@dmm.example", full_name="Sarah Whitfield",
                  password="correct horse battery staple", roles=[Role.SMT])
account = OrgAccount.objects.create(platform="x", handle="@DMMentorUK", login_email="social@dmm.example")
vault.secret_store(actor=smt, account=account, kind="password", value="Pa55-word-backed-up!")
from socialguard.incidents.evidence import storage_dir
(storage_dir() / "0a1b2c.bin").write_bytes(b"an encrypted screenshot")  # where case evidence lives
default_storage.save("content-media/photo.jpg", ContentFile(b"a photo for a post"))
"""
OPEN_SECRET = """
from socialguard.accounts import crypto, vault
from socialguard.accounts.models import VaultSecret
secret = VaultSecret.objects.get()
print("secret:", crypto.unseal(vault.sealed_of(secret), vault.keyring(), secret.aad))
"""


@pytest.fixture
def fresh_database_url(transactional_db: Any, tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database."""
    if not on_postgres():
        yield f"sqlite:///{tmp_path / 'restored' / 'socialguard.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = shared_database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
        pg.execute(f'CREATE DATABASE "{name}"')
    yield shared_database_url().rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip(tmp_path: Path, fresh_database_url: str) -> None:
    source = prepare(tmp_path / "data")
    made = cli(source, "manage", "shell", "-c", MAKE_DATA)
    assert made.returncode == 0, made.stderr
    saved = tmp_path / "backup"

    done = cli(source, "backup", str(saved), "--with-keys")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((saved / "manifest.json").read_text())
    assert (
        manifest["vault_secrets"] == 1
        and manifest["evidence_files"] == 1
        and manifest["uploaded_files"] == 1
        and manifest["audit_events"] >= 2
    )
    assert {"secret_key", "vault_key"} <= set(manifest["keys"])
    assert (saved / "keys" / "vault_key").stat().st_mode & 0o077 == 0

    restored_dir = tmp_path / "restored"
    restored = child_env(restored_dir, SOCIALGUARD_DATABASE_URL=fresh_database_url)
    done = cli(restored, "restore", str(saved))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "audit chain intact" in done.stdout
    assert (restored_dir / "vault_key").read_text() == (tmp_path / "data" / "vault_key").read_text()
    assert (restored_dir / "evidence" / "0a1b2c.bin").read_bytes() == b"an encrypted screenshot"
    assert (restored_dir / "files" / "content-media" / "photo.jpg").read_bytes() == b"a photo for a post"
    opened = cli(restored, "manage", "shell", "-c", OPEN_SECRET)
    assert opened.returncode == 0, opened.stderr
    assert "secret: Pa55-word-backed-up!" in opened.stdout
    verified = cli(restored, "audit", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("OK:"), verified.stdout + verified.stderr

    # The same database with a data folder that lacks the vault key: a new key is generated, and
    # nothing starts with it.
    keyless = child_env(tmp_path / "keyless", SOCIALGUARD_DATABASE_URL=fresh_database_url)
    for command in (["manage", "check"], ["serve", "--port", "0"], ["worker"]):
        refused = cli(keyless, *command, timeout=120)
        assert refused.returncode != 0, command
        output = refused.stdout + refused.stderr
        assert "vault.E001" in output and "SOCIALGUARD_VAULT_KEY_FILE" in output, output
        assert str(tmp_path / "keyless" / "vault_key") in output

    # A restore without the keys, into a fresh place, says the same.
    bare = tmp_path / "bare-backup"
    assert cli(source, "backup", str(bare)).returncode == 0
    assert not (bare / "keys").exists()
    url = fresh_database_url.replace("restored", "bare") if not on_postgres() else fresh_database_url
    again = cli(child_env(tmp_path / "bare", SOCIALGUARD_DATABASE_URL=url), "restore", str(bare), "--force")
    assert again.returncode == 1 and "vault.E001" in again.stderr, again.stdout + again.stderr


def test_restore_refuses_to_overwrite_a_database(tmp_path: Path, transactional_db: Any) -> None:
    source = prepare(tmp_path / "data")
    assert cli(source, "backup", str(tmp_path / "backup")).returncode == 0
    if on_postgres():
        return  # pg_restore refuses a database that has tables, without --force; SQLite is tested below
    refused = cli(source, "restore", str(tmp_path / "backup"))
    assert refused.returncode == 1 and "a database is already there" in refused.stderr
    assert cli(source, "backup", str(tmp_path / "backup")).returncode == 1  # not into a used folder
