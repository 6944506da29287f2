"""An audit key that did not seal the trail stops socialguard from starting (audit.E001), where a
lost key file used to be replaced silently by a new one."""

from __future__ import annotations

import base64
import os
from typing import Any

import pytest
from click.testing import CliRunner
from django.conf import LazySettings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from socialguard.audit.services import audit_record
from socialguard.cli import main


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def test_an_empty_trail_starts_with_any_key(db: Any, settings: LazySettings) -> None:
    settings.AUDIT_KEY = _new_key()
    call_command("check", tags=["audit"])


def test_the_key_that_sealed_the_trail_passes(db: Any) -> None:
    audit_record(actor=None, action="test.sealed", target=None, after={"n": 1})
    call_command("check", tags=["audit"])


def test_a_new_key_over_a_sealed_trail_is_refused(db: Any, settings: LazySettings) -> None:
    audit_record(actor=None, action="test.sealed", target=None, after={"n": 1})
    settings.AUDIT_KEY = _new_key()
    with pytest.raises(SystemCheckError, match=r"audit\.E001") as refused:
        call_command("check", tags=["audit"])
    assert "SOCIALGUARD_AUDIT_KEY_FILE" in str(refused.value) and "docs/backup.md" in str(refused.value)


@pytest.mark.parametrize("command", [["worker"], ["demo"]])
def test_the_worker_and_demo_refuse_to_start(db: Any, settings: LazySettings, command: list[str]) -> None:
    audit_record(actor=None, action="test.sealed", target=None, after={"n": 1})
    settings.AUDIT_KEY = _new_key()
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert "socialguard cannot start" in result.output and "(audit.E001)" in result.output
