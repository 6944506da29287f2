"""The whole demo loads in one transaction: an interrupted load leaves nothing, and the next
`socialguard demo` loads it afresh instead of saying it is already loaded."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from socialguard import demo
from socialguard.accounts.models import OrgAccount
from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.identity.models import User
from socialguard.incidents.models import Case
from socialguard.people.demo import demo_loaded
from socialguard.people.models import StaffMember
from socialguard.policies.models import PolicyDocument


class Interrupted(Exception):
    """Stands for Ctrl+C, or any error, part-way through the load."""


def test_an_interrupted_demo_leaves_nothing_and_a_rerun_loads_it(db: Any) -> None:
    steps = 0

    def interrupt_after_the_accounts() -> None:
        nonlocal steps
        steps += 1
        if steps == 10:  # people, policy and accounts are in; the cases are not
            raise Interrupted

    with pytest.raises(Interrupted):
        demo.load_all(progress=interrupt_after_the_accounts)
    assert steps == 10
    assert not demo_loaded()
    for model in (StaffMember, User, PolicyDocument, OrgAccount, Case, AuditEvent):
        assert not model.objects.exists(), model.__name__

    again = CliRunner().invoke(main, ["demo"])
    assert again.exit_code == 0, again.output
    assert "already loaded" not in again.output
    assert demo_loaded() and OrgAccount.objects.exists() and Case.objects.exists()
