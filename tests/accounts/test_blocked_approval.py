"""A blocked approval is no dead end: SMT get a link to record the missing training and come
straight back, the proposer is emailed (through the task worker) and sees it on their home page,
and the training page counts a proposal's runners instead of showing 100 % while approval blocks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.accounts import services
from socialguard.accounts.models import Proposal
from socialguard.accounts.tasks import send_approval_blocked_notice
from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role
from socialguard.policies import selectors as policy_selectors
from socialguard.web.home import home_items
from tests.accounts.test_proposals import VALUES, _make_ready, _runners, setting  # noqa: F401
from tests.conftest import sign_in

TASK = "socialguard.accounts.tasks.send_approval_blocked_notice"


@pytest.fixture
def proposal(setting: dict[str, Any]) -> Proposal:  # noqa: F811
    return services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))


def test_a_blocked_approval_is_recorded_and_the_proposer_is_emailed(
    setting: dict[str, Any],  # noqa: F811
    proposal: Proposal,
    make_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    smt = make_user(Role.SMT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.proposal_decide(actor=smt, proposal=proposal, approve=True, reason="")
    event = AuditEvent.objects.get(action="accounts.approval_blocked")
    assert "Cara Helper has not completed Account runner training" in event.after["blockers"]
    queued = DBTaskResult.objects.get(task_path=TASK)
    assert queued.args_kwargs["kwargs"] == {"proposal_id": proposal.pk}
    mail.outbox.clear()
    assert send_approval_blocked_notice.call(proposal_id=proposal.pk) is True
    (message,) = mail.outbox
    assert message.to == ["ada@dmm.example"]
    assert "@dmm_learners" in message.subject
    assert "Ben Tutor has not completed Account runner training" in message.body
    assert f"/accounts/proposals/{proposal.pk}/" in message.body
    # Once the gaps are closed there is nothing to say.
    _make_ready(setting, setting["tutor"], setting["volunteer"])
    mail.outbox.clear()
    assert send_approval_blocked_notice.call(proposal_id=proposal.pk) is False
    assert mail.outbox == []


def test_the_proposer_sees_what_blocks_their_proposal_on_their_home_page(
    setting: dict[str, Any],  # noqa: F811
    proposal: Proposal,
) -> None:
    boss = setting["boss"].user
    titles = [i.title for i in home_items(boss)]
    assert "Your proposal for @dmm_learners cannot be approved yet" in titles
    item = next(i for i in home_items(boss) if i.title.startswith("Your proposal"))
    assert item.url == f"/accounts/proposals/{proposal.pk}/"
    assert "Ben Tutor has not completed Account runner training" in item.detail
    assert item.detail.endswith("(and 1 more).")
    # The runners named are not the proposer: it is not their item.
    assert not any(i.title.startswith("Your proposal") for i in home_items(setting["tutor"].user))
    _make_ready(setting, setting["tutor"], setting["volunteer"])
    assert not any(i.title.startswith("Your proposal") for i in home_items(boss))


def test_the_training_page_counts_the_runners_a_proposal_names(
    setting: dict[str, Any],  # noqa: F811
) -> None:
    def runner_course() -> policy_selectors.CourseCoverage:
        return next(c for c in policy_selectors.training_coverage() if c.course == setting["course"])

    assert runner_course().required == 0  # no accounts and no proposals: nobody needs it
    proposal = services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))
    assert services.approval_blockers(proposal)
    coverage = runner_course()
    assert (coverage.required, coverage.current, coverage.percent) == (2, 0, 0)
    assert {g.staff for g in coverage.gaps} == {setting["tutor"], setting["volunteer"]}
    _make_ready(setting, setting["tutor"], setting["volunteer"])
    assert runner_course().percent == 100 and services.approval_blockers(proposal) == []
    services.proposal_withdraw(actor=setting["boss"].user, proposal=proposal)
    assert runner_course().required == 0


def test_smt_follow_the_link_record_the_training_and_come_back(
    setting: dict[str, Any],  # noqa: F811
    proposal: Proposal,
    make_user: Any,
) -> None:
    smt = sign_in(Client(), make_user(Role.SMT))
    url = f"/accounts/proposals/{proposal.pk}/"
    page = smt.get(url).content.decode()
    tutor, course = setting["tutor"], setting["course"]
    link = f"/policy/training/record/?staff={tutor.pk}&amp;course={course.pk}&amp;next=/accounts/proposals/{proposal.pk}/"
    assert link in page and "Record Ben's Account runner training" in page
    form = smt.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{tutor.pk}" selected>' in form
    assert f'<option value="{course.pk}" selected>' in form
    response = smt.post(
        link.replace("&amp;", "&"),
        {"staff": tutor.pk, "course": course.pk, "completed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert "Ben Tutor has not completed" not in smt.get(url).content.decode()


def test_the_way_back_from_recording_training_stays_on_this_site(
    setting: dict[str, Any],  # noqa: F811
    make_user: Any,
) -> None:
    smt = sign_in(Client(), make_user(Role.SMT))
    values = {
        "staff": setting["tutor"].pk,
        "course": setting["course"].pk,
        "completed_on": timezone.localdate().isoformat(),
    }
    response = smt.post("/policy/training/record/?next=https://evil.example/", values)
    assert response["Location"] == "/policy/training/"


def test_the_proposer_sees_on_the_proposal_what_smt_wait_for(
    setting: dict[str, Any],  # noqa: F811
    proposal: Proposal,
) -> None:
    """Their home page item leads here; the page used to show them nothing about it."""
    page = sign_in(Client(), setting["boss"].user).get(f"/accounts/proposals/{proposal.pk}/").content.decode()
    assert "SMT cannot approve this yet" in page
    assert "Cara Helper has not completed Account runner training" in page
    assert "/policy/training/record/" not in page  # recording training is SMT's
    # A runner named in it (not the proposer) has no such box.
    runner_page = sign_in(Client(), setting["tutor"].user).get(f"/accounts/proposals/{proposal.pk}/")
    assert "SMT cannot approve this yet" not in runner_page.content.decode()
