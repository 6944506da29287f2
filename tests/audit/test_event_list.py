"""The audit trail's page and CSV export, as a reader takes them in: a change reads per field
("severity: low → high"), people held by id or email are named, and the export's before/after
are JSON that a script can parse back (not Python's repr)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.audit.services import audit_record
from socialguard.identity.roles import Role
from socialguard.people.models import StaffMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def triaged(register: dict[str, Any], make_user: Callable[..., Any]) -> None:
    make_user(Role.STAFF, email="inv@dmm.example", name="Ivan Vestigator")
    audit_record(
        actor=None,
        action="cases.triaged",
        object_type="incidents.case",
        object_id="7",
        object_repr="C-0007",
        before={"severity": "low", "status": "new", "investigator": None},
        after={"severity": "high", "status": "new", "investigator": "inv@dmm.example", "urgent": True},
    )
    audit_record(
        actor=None,
        action="accounts.lead_changed",
        object_type="accounts.orgaccount",
        object_id="3",
        object_repr="@dmm on Instagram",
        before={"lead": "S1"},
        after={"lead": "S2", "runners": ["S2 (lead)", "S3", "S404"]},
    )


def _export(client: Client, **params: str) -> list[dict[str, str]]:
    response = client.get("/audit/export.csv", params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_page_shows_each_changed_field_before_and_after(
    triaged: None, client_for: Callable[..., Client]
) -> None:
    page = client_for(Role.AUDITOR).get("/audit/").content.decode()
    assert '<span class="key">severity:</span> <del>low</del>' in page
    assert "<ins>high</ins>" in page
    # A field set for the first time reads as its value; an unchanged one is left out.
    assert '<span class="key">urgent:</span> yes' in page
    assert "status:" not in page
    # People named where the event holds an email or an HR id; an unknown id stays as it is.
    assert "<ins>Ivan Vestigator (inv@dmm.example)</ins>" in page
    assert "<del>Ada Boss (S1)</del>" in page and "<ins>Ben Tutor (S2)</ins>" in page
    assert "Ben Tutor (S2) (lead), Cara Helper (S3), S404" in page
    assert "{&#x27;" not in page and "{'" not in page  # no Python dictionaries


def test_the_page_names_people_in_a_fixed_number_of_queries(
    register: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    client = client_for(Role.AUDITOR)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/audit/").status_code == 200
        return len(captured)

    audit_record(actor=None, action="accounts.runner_added", object_type="x", after={"staff": "S1"})
    few = queries()
    for n in range(20):
        StaffMember.objects.create(
            external_id=f"T{n}", first_name="T", last_name=str(n), employment_type="employee"
        )
        audit_record(actor=None, action="accounts.runner_added", object_type="x", after={"staff": f"T{n}"})
    assert queries() == few


def test_the_export_gives_before_and_after_as_json_and_the_change_readable(
    triaged: None, client_for: Callable[..., Client]
) -> None:
    rows = {r["action"]: r for r in _export(client_for(Role.AUDITOR))}
    triage = rows["cases.triaged"]
    assert json.loads(triage["before"]) == {"severity": "low", "status": "new", "investigator": None}
    assert json.loads(triage["after"])["urgent"] is True
    assert triage["change"].splitlines() == [
        "investigator: — → Ivan Vestigator (inv@dmm.example)",
        "severity: low → high",
        "urgent: yes",
    ]
    lead = rows["accounts.lead_changed"]["change"].splitlines()
    assert lead == [
        "lead: Ada Boss (S1) → Ben Tutor (S2)",
        "runners: Ben Tutor (S2) (lead), Cara Helper (S3), S404",
    ]
    # Every before/after cell parses as JSON, the actor is a name, not an id.
    for row in rows.values():
        json.loads(row["before"]), json.loads(row["after"])
    assert rows["audit.exported"]["actor"].startswith("Person ")


def test_the_export_keeps_long_values_whole(
    register: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    text = "word " * 100
    audit_record(actor=None, action="policy.clause_commented", object_type="x", after={"text": text})
    row = next(r for r in _export(client_for(Role.AUDITOR)) if r["action"] == "policy.clause_commented")
    assert row["change"] == f"text: {text}" and json.loads(row["after"]) == {"text": text}
    page = client_for(Role.AUDITOR).get("/audit/").content.decode()
    assert text not in page and "word word" in page and "…" in page  # the page shortens it
