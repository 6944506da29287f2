"""Accounts through the API and the CLI."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

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
    listed = client.get("/api/v1/accounts/proposals", **smt).json()["items"]
    assert listed[0]["status"] == "submitted" and listed[0]["blockers"]
    # The proposer lists their own proposal, as on the web, without the colleagues' gaps.
    own = client.get("/api/v1/accounts/proposals", **staff).json()["items"]
    assert [p["id"] for p in own] == [ok.json()["id"]] and own[0]["blockers"] == []


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


def test_transfer_and_close_through_the_api(published: dict[str, Any], client: Client) -> None:
    from socialguard.accounts.models import AccountRunner

    account = OrgAccount.objects.create(platform="x", handle="@dmm", login_email="social@dmm.example")
    AccountRunner.objects.create(account=account, staff=published["tutor"], is_lead=True)
    smt = _bearer(published["smt"])
    refused = client.post(
        f"/api/v1/accounts/{account.pk}/runners", {"staff_id": "S1"}, content_type="application/json", **smt
    )
    assert refused.status_code == 400 and "Ada Boss has not declared" in refused.json()["detail"]
    closed = client.post(
        f"/api/v1/accounts/{account.pk}/close",
        {"closed_on": str(timezone.localdate()), "how": "Deactivated in X settings"},
        content_type="application/json",
        **smt,
    )
    assert closed.status_code == 200
    account.refresh_from_db()
    assert account.status == "closed" and account.closure_note == "Deactivated in X settings"
    staff = _bearer(published["boss"].user)
    assert (
        client.post(
            f"/api/v1/accounts/{account.pk}/lead",
            {"staff_id": "S1"},
            content_type="application/json",
            **staff,
        ).status_code
        == 403
    )


def test_cli_decide_review_close(published: dict[str, Any]) -> None:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    from socialguard.accounts import services

    proposal = services.proposal_submit(
        actor=published["boss"].user,
        values={
            "platform": "x",
            "handle": "@dmm",
            "aim": "a",
            "audience": "b",
            "promotion": "c",
            "two_factor": True,
            "visibility": "open",
        },
        runners=[
            services.RunnerChoice(published["tutor"], True),
            services.RunnerChoice(published["volunteer"], False),
        ],
    )
    runner = CliRunner()
    blocked = runner.invoke(
        main, ["accounts", "decide", str(proposal.pk), "--approve", "--as", "smt@dmm.example"]
    )
    assert blocked.exit_code == 1 and "Ben Tutor has not declared" in blocked.output
    rejected = runner.invoke(
        main,
        [
            "accounts",
            "decide",
            str(proposal.pk),
            "--reject",
            "--reason",
            "Not now",
            "--as",
            "smt@dmm.example",
        ],
    )
    assert rejected.exit_code == 0, rejected.output
    account = OrgAccount.objects.create(platform="x", handle="@dmm2", login_email="social@dmm.example")
    reviewed = runner.invoke(
        main, ["accounts", "review", str(account.pk), "--looked-at", "posts", "--as", "smt@dmm.example"]
    )
    assert "next review due" in reviewed.output
    today = str(timezone.localdate())
    closed = runner.invoke(
        main,
        ["accounts", "close", str(account.pk), "--on", today, "--how", "deleted", "--as", "smt@dmm.example"],
    )
    assert closed.exit_code == 0 and "recorded as closed" in closed.output
    refused = runner.invoke(
        main, ["accounts", "close", str(account.pk), "--on", today, "--how", "x", "--as", "ben@dmm.example"]
    )
    assert refused.exit_code == 1 and "may not create and manage organisational accounts" in refused.output


def test_cli_propose_create_and_store(published: dict[str, Any], make_user: Any) -> None:
    from socialguard.accounts.models import Proposal, VaultSecret

    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    runner = CliRunner()
    args = [
        "accounts",
        "propose",
        "--platform",
        "x",
        "--handle",
        "@dmm",
        "--aim",
        "a",
        "--audience",
        "b",
        "--promotion",
        "c",
        "--runner",
        "S2",
        "--lead",
        "S2",
        "--as",
        "ada@dmm.example",
    ]
    one = runner.invoke(main, args)
    assert one.exit_code == 1 and "name at least two staff members" in one.output
    two = runner.invoke(main, [*args[:-2], "--runner", "S3", "--as", "ada@dmm.example"])
    assert two.exit_code == 0, two.output
    proposal = Proposal.objects.get()
    Proposal.objects.filter(pk=proposal.pk).update(status="approved")
    created = runner.invoke(
        main,
        [
            "accounts",
            "create",
            str(proposal.pk),
            "--handle",
            "@dmm",
            "--login-email",
            "social@dmm.example",
            "--monitor",
            "smt@dmm.example",
            "--as",
            "smt@dmm.example",
        ],
    )
    assert created.exit_code == 0, created.output
    account = OrgAccount.objects.get()
    stored = runner.invoke(
        main, ["vault", "store", str(account.pk), "--as", "smt@dmm.example"], input="Cli-Password-99!\n"
    )
    assert stored.exit_code == 0 and "Cli-Password-99!" not in stored.output
    assert VaultSecret.objects.get().kind == "password"


def test_cli_names_what_it_cannot_find(published: dict[str, Any]) -> None:
    smt = ["--as", published["smt"].email]
    decide = CliRunner().invoke(main, ["accounts", "decide", "999", "--approve", *smt])
    assert decide.exit_code == 1 and "there is no proposal 999" in decide.output
    store = CliRunner().invoke(main, ["vault", "store", "998", *smt], input="secret\n")
    assert store.exit_code == 1 and "there is no account 998" in store.output
