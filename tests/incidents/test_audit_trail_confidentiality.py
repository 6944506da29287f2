"""SMT and the auditor read the audit trail, but a restricted case's events show them only that the
case changed: its category, severity, investigator, referrals, outcome and retention date (which
gives away a child's date of birth) are for the DSL and deputies, on the page, in the CSV export
and through the API alike. An ordinary case's events stay readable in full (the positive control)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from socialguard.audit.selectors import WITHHELD
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.incidents import services
from socialguard.incidents.models import Case
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

# What the restricted case's events carry that its stub does not show.
# The page shows values bare ("severity: medium → high"), the export as JSON.
SECRETS = [
    "'high'",
    '"high"',
    "→ high",
    "deputy@dmm.example",
    "lado",
    "disciplinary",
    "retain_until",
    "retain until",
]


@pytest.fixture
def closed_restricted(restricted_case: Case, team: dict[str, Any]) -> Case:
    for task in restricted_case.tasks.all():
        services.task_done(actor=team["dsl"], task=task)
    services.case_close(
        actor=team["dsl"], case=restricted_case, outcome="disciplinary", subject=team["ivy"], note="Done."
    )
    return restricted_case


def _ordinary_triaged(team: dict[str, Any]) -> Case:
    case = services.report_submit(actor=team["tutor"].user, category="offensive", summary="A rude reply")
    services.triage(actor=team["smt"], case=case, severity="medium", investigator=team["smt"])
    return case


def _api(user: Any) -> Client:
    token = token_create(user=user, name="t", scope=TokenScope.READ)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.secret}")


@pytest.mark.parametrize("reader", ["smt", "auditor"])
def test_the_page_and_export_withhold_a_restricted_cases_details(
    closed_restricted: Case, team: dict[str, Any], reader: str
) -> None:
    web = sign_in(Client(), team[reader])
    page = web.get("/audit/", {"object_type": "incidents.case"}).content.decode()
    assert closed_restricted.reference in page and "restricted case are for the safeguarding team" in page
    assert "Details withheld: details of a restricted case are for the safeguarding team only." in page
    for secret in SECRETS:
        assert secret not in page, secret
    export = b"".join(web.get("/audit/export.csv", {"object_type": "incidents.case"}).streaming_content)
    rows = [
        r for r in csv.DictReader(io.StringIO(export.decode())) if r["object_id"] == str(closed_restricted.pk)
    ]
    assert len(rows) >= 5
    for row in rows:
        assert json.loads(row["before"]) in ({}, WITHHELD) and json.loads(row["after"]) in ({}, WITHHELD), row
        assert row["change"] in ("", f"withheld: {WITHHELD['withheld']}"), row
    for secret in SECRETS:
        assert secret not in export.decode(), secret


@pytest.mark.parametrize("reader", ["smt", "auditor"])
def test_the_api_withholds_them_too_and_shows_an_ordinary_case_in_full(
    closed_restricted: Case, team: dict[str, Any], reader: str
) -> None:
    ordinary = _ordinary_triaged(team)
    listed = _api(team[reader]).get("/api/v1/audit/events", {"object_type": "incidents.case", "limit": 200})
    assert listed.status_code == 200, listed.content
    events = listed.json()["items"]
    restricted = [e for e in events if e["object_id"] == str(closed_restricted.pk)]
    assert {e["action"] for e in restricted} >= {
        "cases.reported",
        "cases.triaged",
        "cases.referred",
        "cases.closed",
    }
    for event in restricted:
        assert event["before"] in ({}, WITHHELD) and event["after"] in ({}, WITHHELD), event
    triaged = next(e for e in events if e["object_id"] == str(ordinary.pk) and e["action"] == "cases.triaged")
    assert triaged["after"]["severity"] == "medium"  # the walk can see what is not withheld


def test_the_chain_still_verifies_after_reads_that_withhold(
    closed_restricted: Case, team: dict[str, Any]
) -> None:
    web = sign_in(Client(), team["auditor"])
    web.get("/audit/", {"object_type": "incidents.case"})
    assert web.get("/audit/verify/").status_code == 200
    from socialguard.audit.selectors import audit_verify

    assert audit_verify().ok
