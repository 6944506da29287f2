from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from socialguard.audit.models import AuditEvent
from socialguard.cli import main
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.incidents.models import Case
from tests.case_fixtures import MARKER, png_bytes

pytestmark = pytest.mark.django_db


def _api(user: Any, scope: str = TokenScope.READ_WRITE) -> tuple[Client, dict[str, str]]:
    secret = token_create(user=user, name="t", scope=scope).secret
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_report_triage_investigate_refer_and_close_over_the_api(team: dict[str, Any]) -> None:
    client, auth = _api(team["tutor"].user)
    made = client.post(
        "/api/v1/cases",
        {
            "category": "offensive",
            "summary": "Offensive reply",
            "people": [{"person": "S1", "role": "subject"}],
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["access"] == "reporter" and body["status"] == "open"
    case_id = body["id"]
    smt, smt_auth = _api(team["smt"])
    triaged = smt.post(
        f"/api/v1/cases/{case_id}/triage",
        {"severity": "medium", "investigator": "smt@dmm.example"},
        content_type="application/json",
        **smt_auth,
    )
    assert triaged.status_code == 200 and triaged.json()["status"] == "triaged"
    upload = smt.post(
        f"/api/v1/cases/{case_id}/evidence", {"file": _file("shot.png", png_bytes())}, **smt_auth
    )
    assert upload.status_code == 200 and upload.json()["evidence"][0]["type"] == "image/png"
    bad = smt.post(
        f"/api/v1/cases/{case_id}/evidence", {"file": _file("shot.png", b"MZ fake exe")}, **smt_auth
    )
    assert bad.status_code == 400 and "not a readable PNG image" in bad.json()["detail"]
    referred = smt.post(
        f"/api/v1/cases/{case_id}/referrals",
        {"agency": "police", "referred_on": "2026-01-05", "reference": "CAD 1"},
        content_type="application/json",
        **smt_auth,
    )
    assert referred.json()["status"] == "awaiting_referral"
    closed = smt.post(
        f"/api/v1/cases/{case_id}/close",
        {"outcome": "disciplinary", "subject": "S1"},
        content_type="application/json",
        **smt_auth,
    )
    assert closed.status_code == 200 and closed.json()["outcome"] == "disciplinary"
    mine = client.get(f"/api/v1/cases/{case_id}", **auth).json()
    assert mine["status"] == "closed" and mine["outcome"] is None and mine["entries"] == []


def _file(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_api_errors_name_the_field(team: dict[str, Any]) -> None:
    client, auth = _api(team["tutor"].user)
    response = client.post(
        "/api/v1/cases", {"category": "nope", "summary": ""}, content_type="application/json", **auth
    )
    # An unknown code is refused against the document (422), which lists the codes.
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.category"]
    assert "'bullying'" in response.json()["detail"]
    response = client.post(
        "/api/v1/cases", {"category": "other", "summary": ""}, content_type="application/json", **auth
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"summary"}


def test_read_only_tokens_cannot_report(team: dict[str, Any]) -> None:
    client, auth = _api(team["tutor"].user, TokenScope.READ)
    response = client.post(
        "/api/v1/cases", {"category": "other", "summary": "x"}, content_type="application/json", **auth
    )
    assert response.status_code == 403


def test_stats_count_restricted_cases(restricted_case: Case, team: dict[str, Any]) -> None:
    client, auth = _api(team["auditor"], TokenScope.READ)
    stats = client.get("/api/v1/cases/stats", **auth).json()
    assert (
        stats["total"] == 1
        and stats["restricted"] == 1
        and stats["by_category"] == {"Restricted (safeguarding)": 1}
    )
    client, auth = _api(team["dsl"], TokenScope.READ)
    assert client.get("/api/v1/cases/stats", **auth).json()["by_category"] == {"Safeguarding concern": 1}


def test_cli_report_list_show_and_close(team: dict[str, Any], tmp_path: Any) -> None:
    runner = CliRunner()
    shot = tmp_path / "shot.png"
    shot.write_bytes(png_bytes())
    made = runner.invoke(
        main,
        ["cases", "report", "--as", "ben@dmm.example", "--category", "offensive", "--summary", "Rude reply",
         "--person", "subject:S1", "--file", str(shot)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    reference = made.output.split()[-1].rstrip(".")
    case = Case.objects.get(reference=reference)
    assert case.source == "cli" and case.evidence.count() == 1 and case.parties.get().staff == team["boss"]
    listed = runner.invoke(main, ["cases", "list", "--as", "smt@dmm.example"])
    assert reference in listed.output and "1 case" in listed.output
    shown = runner.invoke(main, ["cases", "show", reference, "--as", "smt@dmm.example", "--format", "json"])
    assert json.loads(shown.output)["summary"] == "Rude reply"
    early = runner.invoke(
        main, ["cases", "close", reference, "--as", "smt@dmm.example", "--outcome", "training"]
    )
    assert early.exit_code == 1 and "triage the case before closing it" in early.output


def test_cli_refuses_bad_files_and_people_who_may_not(team: dict[str, Any], tmp_path: Any) -> None:
    runner = CliRunner()
    fake = tmp_path / "shot.png"
    fake.write_text("not an image")
    bad = runner.invoke(
        main,
        [
            "cases",
            "report",
            "--as",
            "ben@dmm.example",
            "--category",
            "other",
            "--summary",
            "x",
            "--file",
            str(fake),
        ],
    )
    assert bad.exit_code == 1 and "shot.png is named .png but is not a readable PNG image" in bad.output
    assert not Case.objects.exists()
    refused = runner.invoke(main, ["cases", "stats", "--as", "ben@dmm.example"])
    assert refused.exit_code == 1 and "may not see statistics on concerns" in refused.output


def test_cli_shows_smt_only_that_a_restricted_case_exists(restricted_case: Case) -> None:
    runner = CliRunner()
    stub = runner.invoke(main, ["cases", "show", restricted_case.reference, "--as", "smt@dmm.example"])
    assert "Restricted" in stub.output and MARKER not in stub.output
    full = runner.invoke(main, ["cases", "show", restricted_case.reference, "--as", "dsl@dmm.example"])
    assert MARKER in full.output
    assert AuditEvent.objects.filter(action="cases.restricted_viewed", after__where="cli").count() == 1
    hidden = runner.invoke(main, ["cases", "show", restricted_case.reference, "--as", "ivy@dmm.example"])
    assert hidden.exit_code == 1 and "no case" in hidden.output


def test_cli_stats_count_a_restricted_case_under_its_label_for_smt(restricted_case: Case) -> None:
    runner = CliRunner()
    smt = runner.invoke(main, ["cases", "stats", "--as", "smt@dmm.example"])
    assert smt.exit_code == 0 and "1  Restricted (safeguarding)" in smt.output
    assert "Safeguarding" not in smt.output.replace("Restricted (safeguarding)", "")
    dsl = runner.invoke(main, ["cases", "stats", "--as", "dsl@dmm.example"])
    assert dsl.exit_code == 0 and "Restricted (safeguarding)" not in dsl.output
