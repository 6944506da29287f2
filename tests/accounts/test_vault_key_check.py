"""A vault key that cannot open the vault's secrets stops socialguard from starting (vault.E001),
where it used to start with a freshly generated key and leave every secret unopenable."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import LazySettings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from socialguard.accounts import crypto, vault
from socialguard.accounts.models import OrgAccount
from socialguard.cli import main
from socialguard.identity.roles import Role


@pytest.fixture
def sealed(db: Any, make_user: Any) -> None:
    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    vault.secret_store(actor=make_user(Role.SMT), account=account, kind="password", value="Pa55-word-xyzzy!")


def test_a_fresh_vault_starts_with_any_key(db: Any, settings: LazySettings) -> None:
    settings.VAULT_KEY = crypto.generate_key().to_text()
    call_command("check", tags=["vault"])


def test_the_key_that_sealed_the_secrets_passes(sealed: None) -> None:
    call_command("check", tags=["vault"])


def test_a_new_key_over_existing_secrets_is_refused(sealed: None, settings: LazySettings) -> None:
    settings.VAULT_KEY = crypto.generate_key().to_text()
    settings.VAULT_KEY_SOURCE = "/srv/data/vault_key (generated now: none was configured)"
    with pytest.raises(SystemCheckError, match=r"vault\.E001") as refused:
        call_command("check")
    message = str(refused.value)
    assert "holds 1 secret (credentials, evidence file keys) sealed with master key" in message
    assert "/srv/data/vault_key (generated now" in message
    assert "SOCIALGUARD_VAULT_KEY_FILE" in message and "docs/backup.md" in message


def test_the_previous_key_mid_rotation_opens_them(sealed: None, settings: LazySettings) -> None:
    settings.VAULT_KEY, settings.VAULT_PREVIOUS_KEY = crypto.generate_key().to_text(), settings.VAULT_KEY
    call_command("check", tags=["vault"])


def test_an_unusable_key_is_refused(sealed: None, settings: LazySettings) -> None:
    settings.VAULT_KEY = "not a key"
    with pytest.raises(SystemCheckError, match=r"vault\.E002"):
        call_command("check", tags=["vault"])


@pytest.mark.parametrize("command", [["worker"], ["demo"]])
def test_the_worker_and_demo_refuse_to_start(
    sealed: None, settings: LazySettings, command: list[str]
) -> None:
    settings.VAULT_KEY = crypto.generate_key().to_text()
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert "socialguard cannot start" in result.output and "(vault.E001)" in result.output
