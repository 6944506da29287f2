"""The case workflow's table (incidents/transitions.py): every row, who may take it and who not,
the steps it lacks, and what the case page is offered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.incidents import services
from socialguard.incidents.models import Case, Status
from socialguard.incidents.transitions import CASES, TRANSITIONS, allowed_actions
from tests.workflow_checks import assert_refused, assert_taken, missing_rows, put_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(team: dict[str, Any]) -> Case:
    case = services.report_submit(
        actor=team["tutor"].user, category="offensive", summary="A rude reply", happened_on=dt.date.today()
    )
    # The anonymise row's condition: a closed case kept past its period and not yet anonymised.
    Case.objects.filter(pk=case.pk).update(retain_until=dt.date.today() - dt.timedelta(days=1))
    return case


@pytest.mark.parametrize(("start", "action"), sorted(TRANSITIONS))
def test_every_row_is_taken_by_smt_and_refused_to_the_auditor(
    team: dict[str, Any], case: Case, start: str, action: str
) -> None:
    put_in_state(CASES, case, start)
    assert_refused(CASES, case, team["auditor"], action, PermissionDenied)
    assert_taken(CASES, case, team["smt"], action, TRANSITIONS[(start, action)].to)


@pytest.mark.parametrize(("start", "action"), missing_rows(CASES, list(Status.values)))
def test_every_step_the_table_lacks_is_refused_and_changes_nothing(
    team: dict[str, Any], case: Case, start: str, action: str
) -> None:
    put_in_state(CASES, case, start)
    assert_refused(CASES, case, team["smt"], action, ValidationError)


def test_a_row_whose_condition_fails_is_refused(team: dict[str, Any], case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(restricted=True)
    case.refresh_from_db()
    assert_refused(CASES, case, team["smt"], "escalate", PermissionDenied)  # SMT no longer read it
    assert_refused(CASES, case, team["dsl"], "escalate", ValidationError)  # already the DSL's


def test_the_case_page_is_offered_the_actions_of_the_state(team: dict[str, Any], case: Case) -> None:
    assert allowed_actions(case, team["smt"]) == [
        "triage", "add_entry", "add_task", "add_party", "refer", "escalate"
    ]  # fmt: skip
    assert allowed_actions(case, team["auditor"]) == []
    services.triage(actor=team["smt"], case=case, severity="low", investigator=team["smt"])
    assert "close" in allowed_actions(case, team["smt"])
    assert "set_investigating" in allowed_actions(case, team["smt"])


def test_a_refused_service_step_changes_nothing(team: dict[str, Any], case: Case) -> None:
    services.triage(actor=team["smt"], case=case, severity="low", investigator=team["smt"])
    services.case_close(actor=team["smt"], case=case, outcome="no_further_action")
    entries = case.entries.count()
    with pytest.raises(ValidationError, match="is closed"):
        services.status_set(actor=team["smt"], case=case, status="investigating")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.entries.count() == entries


def test_the_api_gives_the_actions_the_page_offers(team: dict[str, Any], case: Case) -> None:
    from tests.incidents.test_api_cli import _api

    client, headers = _api(team["smt"])
    body = client.get(f"/api/v1/cases/{case.pk}", **headers).json()  # type: ignore[arg-type]
    assert (
        body["allowed_actions"] == allowed_actions(case, team["smt"]) and "triage" in body["allowed_actions"]
    )
