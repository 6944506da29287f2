"""The audit key: loaded like the vault key, from outside the database, and never written anywhere
the database, the logs, the checkpoints or the emails could show it."""

from __future__ import annotations

import base64
import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.conf import settings

from socialguard import env as E
from socialguard.audit.keys import audit_key
from socialguard.audit.models import AuditEvent
from socialguard.audit.selectors import audit_verify
from socialguard.audit.services import audit_checkpoint
from socialguard.cli import main
from socialguard.identity.roles import Role
from tests.smtp import Inbox


def test_generated_once_into_the_data_dir_with_mode_0600(tmp_path: Path) -> None:
    key = E.audit_key({}, tmp_path)
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "audit_key").st_mode) == 0o600
    assert E.audit_key({}, tmp_path) == key


def test_configured_directly_or_from_a_file(tmp_path: Path) -> None:
    key = base64.urlsafe_b64encode(b"a" * 32).decode()
    (tmp_path / "secret").write_text(key + "\n")
    assert E.audit_key({"SOCIALGUARD_AUDIT_KEY": key}, tmp_path) == key
    assert E.audit_key({"SOCIALGUARD_AUDIT_KEY_FILE": str(tmp_path / "secret")}, tmp_path) == key
    assert not (tmp_path / "audit_key").exists()  # a configured key means none is generated


@pytest.mark.parametrize("bad", ["short", "tooshort" * 3, "not base64 at all!" * 4, "é" * 50])
def test_a_weak_or_garbled_key_is_refused_without_echoing_it(tmp_path: Path, bad: str) -> None:
    with pytest.raises(
        E.ConfigError, match="SOCIALGUARD_AUDIT_KEY: the audit key must be at least 32"
    ) as err:
        E.audit_key({"SOCIALGUARD_AUDIT_KEY": bad}, tmp_path)
    assert bad not in str(err.value)
    (tmp_path / "audit_key").write_text(bad)
    with pytest.raises(E.ConfigError, match="audit_key: the audit key must be"):
        E.audit_key({}, tmp_path)


def test_generate_key_prints_a_usable_key(tmp_path: Path) -> None:
    printed = CliRunner().invoke(main, ["audit", "generate-key"]).output.strip()
    assert E.audit_key({"SOCIALGUARD_AUDIT_KEY": printed}, tmp_path) == printed


def _forms_of_the_key() -> list[str]:
    raw = audit_key()
    return [
        settings.AUDIT_KEY,
        raw.hex(),
        base64.b64encode(raw).decode(),
        base64.b64encode(raw).decode()[:24],
    ]


def test_the_key_never_reaches_the_database_logs_checkpoints_or_email(
    five_events: list[AuditEvent],
    make_user: Any,
    mailbox: Inbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_user(Role.AUDITOR, email="audra@dmm.example")
    with caplog.at_level(logging.DEBUG):
        audit_checkpoint()
        assert audit_verify().ok
        logging.getLogger("socialguard").debug("done")  # proves DEBUG records are captured
    assert any(r.getMessage() == "done" for r in caplog.records)
    seen = [
        caplog.text,
        Path(settings.AUDIT_CHECKPOINT_FILE).read_text(),
        *(m.as_string() for m in mailbox.messages),
    ]
    for model in apps.get_models():
        seen += [repr(row) for row in model._default_manager.values_list()]
    assert any("audit.checkpointed" in text for text in seen)  # the walk does see the database
    for form in _forms_of_the_key():
        leaked = [text[:80] for text in seen if form in text]
        assert not leaked, leaked
