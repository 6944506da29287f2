"""An account's profile address is http(s) whichever way it arrives (API, CLI, web): a stored
`javascript:` link on the account page would run in SMT's and the auditor's browsers."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.test import Client

from socialguard.accounts import services
from socialguard.accounts.models import OrgAccount, Proposal
from socialguard.cli import main
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.people.models import Organisation
from tests.conftest import sign_in

XSS = "javascript:alert(document.domain)"


@pytest.fixture
def approved(published: dict[str, Any]) -> Proposal:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    proposal = Proposal.objects.create(
        platform="instagram", handle="@dmm", aim="a", audience="b", promotion="c", proposer=published["boss"]
    )
    Proposal.objects.filter(pk=proposal.pk).update(status="approved")
    proposal.refresh_from_db()
    return proposal


def test_api_refuses_a_javascript_address(
    approved: Proposal, published: dict[str, Any], client: Client
) -> None:
    secret = token_create(user=published["smt"], name="t", scope=TokenScope.READ_WRITE).secret
    body = {
        "handle": "@dmm",
        "url": XSS,
        "login_email": "social@dmm.example",
        "two_factor_enabled": True,
        "monitor_email": published["smt"].email,
    }
    response = client.post(
        f"/api/v1/accounts/proposals/{approved.pk}/account",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "url", "message": "give a web address starting with https:// or http:// (not javascript:)"}
    ]
    assert not OrgAccount.objects.exists()
    body["url"] = "instagram.com/dmm"
    response = client.post(
        f"/api/v1/accounts/proposals/{approved.pk}/account",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content
    account = OrgAccount.objects.get()
    assert account.url == "https://instagram.com/dmm"
    page = sign_in(Client(), published["smt"]).get(f"/accounts/{account.pk}/")
    assert b'<a href="https://instagram.com/dmm"' in page.content


def test_cli_refuses_a_javascript_address(approved: Proposal, published: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        main,
        [
            "accounts",
            "create",
            str(approved.pk),
            "--handle",
            "@dmm",
            "--url",
            XSS,
            "--login-email",
            "social@dmm.example",
            "--monitor",
            published["smt"].email,
            "--as",
            published["smt"].email,
        ],
    )
    assert result.exit_code != 0
    assert "give a web address starting with https:// or http://" in result.output
    assert not OrgAccount.objects.exists()


def test_the_service_itself_refuses(approved: Proposal, published: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.account_create(
            actor=published["smt"],
            proposal=approved,
            handle="@dmm",
            url="data:text/html,<script>alert(1)</script>",
            login_email="social@dmm.example",
            two_factor_enabled=True,
            visibility="open",
            monitor=published["smt"],
        )
    assert "url" in refused.value.message_dict
