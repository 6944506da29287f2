"""Every accounts service checks its actor itself: called directly (as a script, the API or the
CLI would), a person without the role is refused and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socialguard.accounts import services
from socialguard.accounts.models import Proposal
from socialguard.accounts.services import RunnerChoice
from socialguard.identity.roles import Role
from tests.accounts.test_proposals import VALUES

pytestmark = pytest.mark.django_db


def test_only_those_who_may_propose_submit_a_proposal(published: dict[str, Any], make_user: Any) -> None:
    runners = [RunnerChoice(published["tutor"], True), RunnerChoice(published["volunteer"], False)]
    auditor = make_user(Role.AUDITOR)
    published["boss"].user = auditor  # linked to a staff record, so only the role stands in the way
    published["boss"].save()
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=auditor, values=VALUES, runners=runners)
    assert not Proposal.objects.exists()


def test_a_proposal_is_decided_only_by_smt(published: dict[str, Any], make_user: Any) -> None:
    runners = [RunnerChoice(published["tutor"], True), RunnerChoice(published["volunteer"], False)]
    proposal = services.proposal_submit(actor=published["boss"].user, values=VALUES, runners=runners)
    for role in (Role.QUALITY_DIRECTOR, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            services.proposal_decide(actor=make_user(role), proposal=proposal, approve=False, reason="No")
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
