"""An account proposal's states and what moves it between them: one table, read by the services
(each step through `PROPOSALS.apply`), the proposal page and the API (`allowed_actions`).

submitted → approved → created (the account recorded), or submitted → rejected / withdrawn.
"""

from __future__ import annotations

from typing import Any

from socialguard.accounts.access import is_proposer, may_create, may_decide
from socialguard.accounts.models import Proposal, ProposalStatus
from socialguard.identity.workflow import Step, Workflow

SUBMITTED, APPROVED, REJECTED, WITHDRAWN, CREATED = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.APPROVED,
    ProposalStatus.REJECTED,
    ProposalStatus.WITHDRAWN,
    ProposalStatus.CREATED,
)

TRANSITIONS: dict[tuple[str, str], Step] = {
    (SUBMITTED, "revise"): Step(SUBMITTED, is_proposer),
    (SUBMITTED, "withdraw"): Step(WITHDRAWN, is_proposer),
    (SUBMITTED, "approve"): Step(APPROVED, may_decide),
    (SUBMITTED, "reject"): Step(REJECTED, may_decide),
    (APPROVED, "create_account"): Step(CREATED, may_create),
}

_WHO = {
    "revise": "only the proposer can revise a proposal",
    "withdraw": "only the proposer can withdraw a proposal",
    "create_account": "only SMT create organisational accounts",
}


def _not_permitted(user: Any, proposal: Proposal, action: str) -> str:
    if action in _WHO:
        return _WHO[action]
    from socialguard.identity.permissions import can

    if can(user, "accounts.decide"):
        return "you are named in this proposal, so another member of SMT must decide it"
    return "only SMT approve or reject account proposals"


def _not_now(proposal: Proposal, action: str) -> str:
    status = proposal.get_status_display().lower()
    if action == "revise":
        return f"this proposal is {status}; it can no longer be revised"
    if action == "withdraw":
        return f"this proposal is already {status}"
    if action == "create_account":
        return "an account is created only from an approved proposal"
    return f"this proposal is {status}"


PROPOSALS = Workflow(Proposal, TRANSITIONS, not_permitted=_not_permitted, not_now=_not_now)


def allowed_actions(proposal: Proposal, user: Any) -> list[str]:
    return PROPOSALS.allowed_actions(proposal, user)
