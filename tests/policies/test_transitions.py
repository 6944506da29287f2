"""The policy version workflow's table (policies/transitions.py): every row, who may take it and
who not, the steps it lacks, and what the version page is offered."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.policies.models import PolicyVersion, VersionStatus
from socialguard.policies.transitions import TRANSITIONS, VERSIONS, allowed_actions
from tests.policy_fixtures import V2, import_version
from tests.workflow_checks import assert_refused, assert_taken, missing_rows, put_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(published: dict[str, Any]) -> PolicyVersion:
    return import_version(published["qd"], V2)


@pytest.mark.parametrize(("start", "action"), sorted(TRANSITIONS))
def test_every_row_is_taken_by_the_quality_director_and_refused_to_smt(
    published: dict[str, Any], draft: PolicyVersion, start: str, action: str
) -> None:
    put_in_state(VERSIONS, draft, start)
    assert_refused(VERSIONS, draft, published["smt"], action, PermissionDenied)
    assert_taken(VERSIONS, draft, published["qd"], action, TRANSITIONS[(start, action)].to)


@pytest.mark.parametrize(("start", "action"), missing_rows(VERSIONS, list(VersionStatus.values)))
def test_every_step_the_table_lacks_is_refused_and_changes_nothing(
    published: dict[str, Any], draft: PolicyVersion, start: str, action: str
) -> None:
    put_in_state(VERSIONS, draft, start)
    assert_refused(VERSIONS, draft, published["qd"], action, ValidationError)


def test_the_version_page_is_offered_the_actions_of_the_state(
    published: dict[str, Any], draft: PolicyVersion
) -> None:
    assert allowed_actions(draft, published["qd"]) == ["submit_for_review", "publish"]
    assert allowed_actions(draft, published["smt"]) == []
    assert allowed_actions(published["v1"], published["qd"]) == ["retire"]


def test_the_api_gives_the_actions_the_page_offers(published: dict[str, Any], draft: PolicyVersion) -> None:
    from tests.incidents.test_api_cli import _api

    client, headers = _api(published["qd"])
    body = client.get(f"/api/v1/policy/versions/{draft.pk}", **headers).json()  # type: ignore[arg-type]
    assert body["allowed_actions"] == ["submit_for_review", "publish"]
