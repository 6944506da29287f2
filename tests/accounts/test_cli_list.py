"""`socialguard accounts list` shows the ids the other commands take, so an account found in the
list can be given straight to `vault store` (and a proposal to `decide`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from socialguard.accounts.models import AccountRunner, OrgAccount, Proposal
from socialguard.accounts.vault import secret_reveal
from socialguard.cli import main
from socialguard.identity.roles import Role

pytestmark = pytest.mark.django_db


def test_the_list_gives_ids_that_vault_store_takes(
    register: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    OrgAccount.objects.create(platform="facebook", handle="@decoy", login_email="d@dmm.example")
    account = OrgAccount.objects.create(platform="x", handle="@DMMentorUK", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=register["tutor"], is_lead=True)
    AccountRunner.objects.create(account=account, staff=register["boss"])
    proposal = Proposal.objects.create(
        proposer=register["boss"],
        platform="instagram",
        handle="@dmm_careers",
        aim="a",
        audience="b",
        promotion="c",
    )
    smt = make_user(Role.SMT, email="smt@dmm.example")

    listed = CliRunner().invoke(main, ["accounts", "list"])
    assert listed.exit_code == 0, listed.output
    assert f"#{account.pk} @DMMentorUK (X (Twitter)) [active]" in listed.output
    assert "runners: Ben Tutor (S2, lead), Ada Boss (S1)" in listed.output
    assert (
        f"proposal #{proposal.pk} @dmm_careers (Instagram) [submitted], proposed by Ada Boss" in listed.output
    )

    # What a person does next: take the number from the line they want.
    found = re.search(r"^#(\d+) @DMMentorUK ", listed.output, re.MULTILINE)
    assert found is not None
    stored = CliRunner().invoke(
        main, ["vault", "store", found.group(1), "--as", smt.email], input="Listed-Then-Stored-1!\n"
    )
    assert stored.exit_code == 0, stored.output
    assert "Stored the password for @DMMentorUK" in stored.output
    (secret,) = account.secrets.all()
    assert (
        secret_reveal(actor=smt, secret=secret, reason="checking the CLI stored it", reauthenticated=True)
        == "Listed-Then-Stored-1!"
    )
