"""The vault with the database: who may store and reveal, what the audit trail keeps, no plaintext
anywhere in a dump of the database, and master-key rotation that survives interruption."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.apps import apps
from django.conf import LazySettings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from socialguard.accounts import crypto, vault
from socialguard.accounts.models import OrgAccount, VaultSecret
from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role

PASSWORDS = [f"Pa55-word-number-{n}-xyzzy!" for n in range(5)]


@pytest.fixture
def account(db: Any) -> OrgAccount:
    return OrgAccount.objects.create(
        platform="instagram", handle="@dmm_learners", login_email="social@dmm.example"
    )


@pytest.fixture
def smt(make_user: Any) -> Any:
    return make_user(Role.SMT)


def test_smt_store_and_reveal_with_reason_and_reauthentication(account: OrgAccount, smt: Any) -> None:
    secret = vault.secret_store(actor=smt, account=account, kind="password", value=PASSWORDS[0])
    with pytest.raises(PermissionDenied, match="authenticator"):
        vault.secret_reveal(
            actor=smt, secret=secret, reason="Posting the open day photos", reauthenticated=False
        )
    with pytest.raises(ValidationError):
        vault.secret_reveal(actor=smt, secret=secret, reason="need", reauthenticated=True)
    value = vault.secret_reveal(
        actor=smt, secret=secret, reason="Posting the open day photos", reauthenticated=True
    )
    assert value == PASSWORDS[0]
    event = AuditEvent.objects.get(action="vault.secret_revealed")
    assert event.actor == smt and event.after["reason"] == "Posting the open day photos"


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.DSL, Role.QUALITY_DIRECTOR])
def test_nobody_else_stores_or_reveals(account: OrgAccount, smt: Any, make_user: Any, role: Role) -> None:
    secret = vault.secret_store(actor=smt, account=account, kind="password", value=PASSWORDS[0])
    other = make_user(role)
    with pytest.raises(PermissionDenied):
        vault.secret_reveal(actor=other, secret=secret, reason="I would like to see it", reauthenticated=True)
    with pytest.raises(PermissionDenied):
        vault.secret_store(actor=other, account=account, kind="password", value="x" * 20)


def test_no_secret_in_the_database_dump_the_audit_trail_or_logs(
    account: OrgAccount, smt: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for n, password in enumerate(PASSWORDS):
        secret = vault.secret_store(
            actor=smt, account=account, kind="password", value=password, label=f"login {n}"
        )
        vault.secret_reveal(actor=smt, secret=secret, reason="checking the dump test", reauthenticated=True)
    vault.secret_store(actor=smt, account=account, kind="recovery_codes", value="RECOVERY-7788-9911")
    # Every row of every table, as the database returns it.
    raw = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            raw += [repr(row) for row in cursor.fetchall()]
    from io import StringIO

    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    haystack = "\n".join(raw) + dump.getvalue() + caplog.text
    for secret in [*PASSWORDS, "RECOVERY-7788-9911"]:
        assert secret not in haystack
        assert secret.encode().hex() not in haystack
    assert settings_key() not in haystack


def settings_key() -> str:
    from django.conf import settings

    return str(settings.VAULT_KEY)


def test_rotation_survives_an_interruption(account: OrgAccount, smt: Any, settings: LazySettings) -> None:
    secrets = [
        vault.secret_store(actor=smt, account=account, kind="password", value=p, label=str(n))
        for n, p in enumerate(PASSWORDS)
    ]
    old, new = vault.current_key(), crypto.generate_key()

    def crash_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # the administrator's Ctrl+C, or the server going down

    with pytest.raises(KeyboardInterrupt):
        vault.rotate_master_key(new_key=new, progress=crash_after_two)
    assert sorted(VaultSecret.objects.values_list("key_id", flat=True)) == sorted(
        [new.key_id] * 2 + [old.key_id] * 3
    )
    # Half-way, with the new key current and the old one as previous, everything still opens.
    settings.VAULT_KEY, settings.VAULT_PREVIOUS_KEY = new.to_text(), old.to_text()
    for secret, password in zip(secrets, PASSWORDS, strict=True):
        secret.refresh_from_db()
        assert (
            vault.secret_reveal(
                actor=smt, secret=secret, reason="after the interruption", reauthenticated=True
            )
            == password
        )
    assert vault.rotate_master_key(new_key=new) == 3  # the rerun finishes the rest
    assert vault.rotate_master_key(new_key=new) == 0
    settings.VAULT_PREVIOUS_KEY = ""
    for secret, password in zip(secrets, PASSWORDS, strict=True):
        secret.refresh_from_db()
        assert (
            vault.secret_reveal(
                actor=smt, secret=secret, reason="with the new key only", reauthenticated=True
            )
            == password
        )
    settings.VAULT_KEY = old.to_text()  # the old key alone opens nothing now
    with pytest.raises(crypto.VaultKeyError, match="not configured"):
        vault.secret_reveal(
            actor=smt, secret=secrets[0], reason="with the old key only", reauthenticated=True
        )


def test_cli_rotate_key_and_check(
    account: OrgAccount, smt: Any, settings: LazySettings, tmp_path: Any
) -> None:
    from click.testing import CliRunner

    from socialguard.cli import main

    vault.secret_store(actor=smt, account=account, kind="password", value=PASSWORDS[0])
    new = crypto.generate_key()
    key_file = tmp_path / "new.key"
    key_file.write_text(new.to_text())
    result = CliRunner().invoke(main, ["vault", "rotate-key", "--new-key-file", str(key_file)])
    assert result.exit_code == 0, result.output
    assert f"Re-wrapped 1 data key (vault secrets and evidence files) under key {new.key_id}" in result.output
    settings.VAULT_KEY, settings.VAULT_PREVIOUS_KEY = new.to_text(), ""
    check = CliRunner().invoke(main, ["vault", "check"])
    assert check.exit_code == 0 and f"key {new.key_id} (current): 1 secret" in check.output
    assert PASSWORDS[0] not in result.output + check.output
