"""Accounts through the API and the CLI."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from django.test import Client

from socialguard.accounts.models import OrgAccount
from socialguard.cli import main
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.people.models import Organisation


def _bearer(user: Any) -> dict[str, str]:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', scope=TokenScope.READ_WRITE).secret}"
    }


def test_propose_is_blocked_then_listed(published: dict[str, Any], client: Client) -> None:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    staff = _bearer(published["boss"].user)
    bad = client.post(
        "/api/v1/accounts/proposals",
        {"platform": "instagram", "runner_ids": ["S2"], "lead_id": "S2"},
        content_type="application/json",
        **staff,
    )
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} >= {"handle", "aim", "runners"}
    ok = client.post(
        "/api/v1/accounts/proposals",
        {
            "platform": "instagram",
            "handle": "@dmm",
            "aim": "a",
            "audience": "b",
            "promotion": "c",
            "runner_ids": ["S2", "S3"],
            "lead_id": "S2",
        },
        content_type="application/json",
        **staff,
    )
    assert ok.status_code == 201, ok.content
    smt = _bearer(published["smt"])
    decided = client.post(
        f"/api/v1/accounts/proposals/{ok.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
        **smt,
    )
    assert decided.status_code == 400 and "Ben Tutor has not declared" in decided.json()["detail"]
    listed = client.get("/api/v1/accounts/proposals", **smt).json()
    assert listed[0]["status"] == "submitted" and listed[0]["blockers"]
    assert client.get("/api/v1/accounts/proposals", **staff).status_code == 403


def test_store_secret_never_returns_it_and_cli_lists(published: dict[str, Any], client: Client) -> None:
    account = OrgAccount.objects.create(platform="x", handle="@DMMentorUK", login_email="social@dmm.example")
    response = client.post(
        f"/api/v1/accounts/{account.pk}/secrets",
        {"kind": "password", "value": "Api-Stored-Password-1!"},
        content_type="application/json",
        **_bearer(published["smt"]),
    )
    assert response.status_code == 201 and "Api-Stored-Password-1!" not in response.content.decode()
    result = CliRunner().invoke(main, ["accounts", "list"])
    assert "@DMMentorUK (X (Twitter)) [active]" in result.output
    assert "only 0 active runners (5.5 asks for two)" in result.output
    assert CliRunner().invoke(main, ["accounts", "leavers", "--scan"]).output.startswith("Raised 0 tasks.")


def test_demo_has_an_account_path_to_show(db: Any) -> None:
    from socialguard.accounts.models import LeaverTask, Proposal
    from socialguard.accounts.selectors import registry
    from socialguard.demo import load_all

    load_all()
    rows = {r.account.handle: r for r in registry()}
    assert rows["@DMMentorUK"].warnings == []
    linkedin = rows["digital-marketing-mentor"]
    assert any(w.startswith("leaver task open") for w in linkedin.warnings)
    task = LeaverTask.objects.get()
    assert task.secrets_to_rotate.count() == 1
    blocked = Proposal.objects.get(handle="@dmm_careers")
    from socialguard.accounts.services import approval_blockers

    assert any("Gareth Price" in b for b in approval_blockers(blocked))
