"""The account proposal workflow's table (accounts/transitions.py): every row, who may take it
and who not, the steps it lacks, and what the proposal page is offered."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialguard.accounts import services
from socialguard.accounts.models import Proposal, ProposalStatus
from socialguard.accounts.services import RunnerChoice
from socialguard.accounts.transitions import PROPOSALS, TRANSITIONS, allowed_actions
from tests.accounts.test_proposals import VALUES
from tests.workflow_checks import assert_refused, assert_taken, missing_rows, put_in_state

pytestmark = pytest.mark.django_db

# Who takes each action, and someone it refuses: the proposer's steps are theirs alone; SMT
# decide and create.
BY = {
    "revise": ("proposer", "smt"),
    "withdraw": ("proposer", "smt"),
    "approve": ("smt", "proposer"),
    "reject": ("smt", "proposer"),
    "create_account": ("smt", "proposer"),
}


@pytest.fixture
def proposal(published: dict[str, Any]) -> Proposal:
    runners = [RunnerChoice(published["tutor"], True), RunnerChoice(published["volunteer"], False)]
    return services.proposal_submit(actor=published["boss"].user, values=VALUES, runners=runners)


def _people(published: dict[str, Any]) -> dict[str, Any]:
    return {"proposer": published["boss"].user, "smt": published["smt"]}


def test_the_table_names_who_takes_each_action() -> None:
    assert set(BY) == set(PROPOSALS.actions)


@pytest.mark.parametrize(("start", "action"), sorted(TRANSITIONS))
def test_every_row_is_taken_by_whom_it_allows_and_refused_to_others(
    published: dict[str, Any], proposal: Proposal, start: str, action: str
) -> None:
    who, not_who = (_people(published)[k] for k in BY[action])
    put_in_state(PROPOSALS, proposal, start)
    assert_refused(PROPOSALS, proposal, not_who, action, PermissionDenied)
    assert_taken(PROPOSALS, proposal, who, action, TRANSITIONS[(start, action)].to)


@pytest.mark.parametrize(("start", "action"), missing_rows(PROPOSALS, list(ProposalStatus.values)))
def test_every_step_the_table_lacks_is_refused_and_changes_nothing(
    published: dict[str, Any], proposal: Proposal, start: str, action: str
) -> None:
    put_in_state(PROPOSALS, proposal, start)
    assert_refused(PROPOSALS, proposal, _people(published)[BY[action][0]], action, ValidationError)


def test_a_runner_named_in_the_proposal_never_decides_it(
    published: dict[str, Any], proposal: Proposal
) -> None:
    from socialguard.identity.roles import Role

    published["tutor"].user.role_assignments.create(role=Role.SMT)
    tutor = type(published["tutor"].user).objects.get(pk=published["tutor"].user.pk)
    assert_refused(PROPOSALS, proposal, tutor, "approve", PermissionDenied)


def test_the_proposal_page_is_offered_the_actions_of_the_state(
    published: dict[str, Any], proposal: Proposal
) -> None:
    assert allowed_actions(proposal, published["boss"].user) == ["revise", "withdraw"]
    assert allowed_actions(proposal, published["smt"]) == ["approve", "reject"]
    services.proposal_withdraw(actor=published["boss"].user, proposal=proposal)
    assert allowed_actions(proposal, published["boss"].user) == []
    assert allowed_actions(proposal, published["smt"]) == []


def test_a_refused_service_step_changes_nothing(published: dict[str, Any], proposal: Proposal) -> None:
    with pytest.raises(PermissionDenied, match="only the proposer"):
        services.proposal_withdraw(actor=published["smt"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_the_api_gives_the_actions_the_page_offers(published: dict[str, Any], proposal: Proposal) -> None:
    from tests.incidents.test_api_cli import _api

    client, headers = _api(published["boss"].user)
    body = client.get(f"/api/v1/accounts/proposals/{proposal.pk}", **headers).json()  # type: ignore[arg-type]
    assert body["allowed_actions"] == ["revise", "withdraw"]
