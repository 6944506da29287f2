"""The proposal page says what blocks an approval once, in words, each with its link to act; a
refused approval adds one line at the top rather than repeating the list as three banners."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from socialguard.accounts import services
from socialguard.accounts.models import Proposal
from socialguard.identity.roles import Role
from tests.accounts.test_proposals import VALUES, _runners, setting  # noqa: F401
from tests.conftest import sign_in

BLOCKER = "Ben Tutor has not completed Account runner training"


@pytest.fixture
def proposal(setting: dict[str, Any]) -> Proposal:  # noqa: F811
    return services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))


def _main(page: str) -> str:
    return page[page.index('<main id="content">') :]


def test_a_refused_approval_lists_the_blockers_once_with_links(proposal: Proposal, make_user: Any) -> None:
    smt = sign_in(Client(), make_user(Role.SMT))
    url = f"/accounts/proposals/{proposal.pk}/"
    response = smt.post(f"{url}decide/", {"decision": "approve", "reason": ""}, follow=True)
    page = _main(response.content.decode())
    assert page.count(BLOCKER) == 1
    messages = re.findall(r'<ul class="messages".*?</ul>', page, flags=re.S)
    assert len(messages) == 1 and messages[0].count("<li") == 1 and "Not approved yet" in messages[0]
    blockers = page[page.index('id="blockers"') : page.index("</section>", page.index('id="blockers"'))]
    assert "Approval is blocked" in blockers and f"{BLOCKER}. <a href=" in blockers
    assert "Record Ben's Account runner training</a>" in blockers
    assert "<pre" not in blockers and "<code" not in blockers  # words, not a dump
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_the_proposer_sees_the_blockers_once_and_a_way_to_change_the_runners(
    setting: dict[str, Any],  # noqa: F811
    proposal: Proposal,
) -> None:
    boss = sign_in(Client(), setting["boss"].user)
    page = _main(boss.get(f"/accounts/proposals/{proposal.pk}/").content.decode())
    assert page.count(BLOCKER) == 1 and page.count('id="blockers"') == 1
    assert "SMT cannot approve this yet" in page
    assert f'<a href="/accounts/proposals/{proposal.pk}/revise/">revise the proposal</a>' in page
    assert "/policy/training/record/" not in page  # recording training is not theirs to do
