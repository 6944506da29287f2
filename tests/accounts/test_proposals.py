"""Proposal → decision → creation (5.5, 3.2): validation that explains, approval blocked until
every runner has declared and been trained, no deciding your own proposal, role mailboxes only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialguard.accounts import selectors, services
from socialguard.accounts.models import ProposalStatus
from socialguard.accounts.services import RunnerChoice
from socialguard.identity.roles import Role
from socialguard.people.models import Organisation
from socialguard.policies import selectors as policy_selectors
from socialguard.policies import services as policy_services
from socialguard.policies.models import Audience
from tests.worker import run_due_tasks

VALUES = {
    "platform": "instagram",
    "handle": "@dmm_learners",
    "aim": "Celebrate learners' achievements",
    "audience": "Prospective learners and employers",
    "promotion": "Website footer and email signatures",
    "two_factor": True,
    "shared_mailbox": "social@dmm.example",
    "recovery_codes_holder": "Operations Director",
    "security_notes": "",
    "visibility": "open",
}
ALL = dict.fromkeys(policy_services.DECLARATION_FIELDS, True)


@pytest.fixture
def setting(published: dict[str, Any]) -> dict[str, Any]:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    course = policy_services.course_save(
        actor=published["smt"],
        values={
            "code": "account-runner",
            "name": "Account runner training",
            "required_for": Audience.ACCOUNT_RUNNERS,
            "refresher_months": 12,
        },
    )
    return {**published, "course": course}


def _runners(s: dict[str, Any]) -> list[RunnerChoice]:
    return [RunnerChoice(s["tutor"], True), RunnerChoice(s["volunteer"], False)]


def _make_ready(s: dict[str, Any], *people: Any) -> None:
    for member in people:
        policy_services.declaration_make(actor=member.user, staff=member, version=s["v1"], confirmations=ALL)
        policy_services.completion_record(
            actor=s["smt"], staff=member, course=s["course"], completed_on=timezone.localdate()
        )


def test_a_proposal_needs_every_point_of_clause_5_5(setting: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(
            actor=setting["boss"].user,
            values={"platform": "myspace", "two_factor": False},
            runners=[RunnerChoice(setting["tutor"], False)],
        )
    problems = error.value.message_dict
    assert set(problems) == {
        "platform",
        "handle",
        "aim",
        "audience",
        "promotion",
        "two_factor",
        "runners",
        "lead",
    }
    assert problems["runners"] == ["name at least two staff members who will run the account (policy 5.5)"]


def test_a_runner_who_has_left_is_refused(setting: dict[str, Any]) -> None:
    setting["volunteer"].leave_date = timezone.localdate() - dt.timedelta(days=3)
    setting["volunteer"].save()
    with pytest.raises(ValidationError, match="Cara Helper has left"):
        services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("dmm.social@gmail.com", "personal webmail"),
        ("social@elsewhere.example", "not at the organisation's domain"),
        ("ben@dmm.example", "a person's own address"),
        ("ben.tutor@dmm.example", "looks like Ben Tutor's personal address"),
    ],
)
def test_login_must_be_an_organisational_role_mailbox(
    setting: dict[str, Any], email: str, message: str
) -> None:
    assert message in services.login_email_problem(email)
    assert services.login_email_problem("social@dmm.example") == ""


def test_approval_is_blocked_until_runners_have_declared_and_trained(
    setting: dict[str, Any], make_user: Any
) -> None:
    proposal = services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))
    assert proposal.status == ProposalStatus.SUBMITTED
    other_smt = make_user(Role.SMT)
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(actor=other_smt, proposal=proposal, approve=True, reason="")
    text = " ".join(error.value.messages)
    assert "Ben Tutor has not declared the current policy (version 1)" in text
    assert "Cara Helper has not completed Account runner training" in text
    _make_ready(setting, setting["tutor"], setting["volunteer"])
    services.proposal_decide(actor=other_smt, proposal=proposal, approve=True, reason="Good plan")
    assert proposal.status == ProposalStatus.APPROVED


def test_people_named_in_a_proposal_cannot_decide_it(setting: dict[str, Any]) -> None:
    tutor = setting["tutor"]
    tutor.user.role_assignments.create(role="smt")
    tutor.user.forget_roles()
    proposal = services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))
    with pytest.raises(PermissionDenied, match="another member of SMT"):
        services.proposal_decide(actor=tutor.user, proposal=proposal, approve=False, reason="No")
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=setting["boss"].user, proposal=proposal, approve=False, reason="No")


def test_reject_needs_a_reason_and_everyone_involved_hears(
    setting: dict[str, Any], make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.proposal_submit(
            actor=setting["boss"].user, values=VALUES, runners=_runners(setting)
        )
    run_due_tasks()  # the worker sends the mail
    assert "smt@dmm.example" in {m.to[0] for m in mail.outbox}
    mail.outbox.clear()
    smt = make_user(Role.SMT)
    with pytest.raises(ValidationError, match="say why"):
        services.proposal_decide(actor=smt, proposal=proposal, approve=False, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            actor=smt, proposal=proposal, approve=False, reason="We already have an Instagram account"
        )
    run_due_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@dmm.example", "ben@dmm.example", "cara@dmm.example"]
    assert "rejected" in mail.outbox[0].subject and "/accounts/proposals/" in mail.outbox[0].body


def test_revise_withdraw_and_comment(setting: dict[str, Any]) -> None:
    boss = setting["boss"].user
    proposal = services.proposal_submit(actor=boss, values=VALUES, runners=_runners(setting))
    with pytest.raises(PermissionDenied):
        services.proposal_revise(
            actor=setting["tutor"].user, proposal=proposal, values=VALUES, runners=_runners(setting)
        )
    services.proposal_revise(
        actor=boss, proposal=proposal, values={**VALUES, "handle": "@dmm_stars"}, runners=_runners(setting)
    )
    services.proposal_comment(actor=setting["tutor"].user, proposal=proposal, text="Happy to lead")
    services.proposal_withdraw(actor=boss, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.handle == "@dmm_stars" and proposal.status == ProposalStatus.WITHDRAWN
    assert [c.text for c in proposal.comments.all()] == ["Happy to lead"]


def test_creation_makes_runners_count_for_runner_training(setting: dict[str, Any], make_user: Any) -> None:
    proposal = services.proposal_submit(actor=setting["boss"].user, values=VALUES, runners=_runners(setting))
    _make_ready(setting, setting["tutor"], setting["volunteer"])
    smt = make_user(Role.SMT)
    services.proposal_decide(actor=smt, proposal=proposal, approve=True, reason="")
    with pytest.raises(ValidationError) as error:
        services.account_create(
            actor=smt,
            proposal=proposal,
            handle="@dmm_learners",
            url="",
            login_email="ben@dmm.example",
            two_factor_enabled=False,
            visibility="open",
            monitor=setting["tutor"].user,
        )
    assert set(error.value.message_dict) == {"login_email", "two_factor_enabled", "monitor"}
    account = services.account_create(
        actor=smt,
        proposal=proposal,
        handle="@dmm_learners",
        url="https://instagram.com/dmm_learners",
        login_email="social@dmm.example",
        two_factor_enabled=True,
        visibility="open",
        monitor=smt,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CREATED
    assert [(r.staff.last_name, r.is_lead) for r in account.runners.all()] == [
        ("Tutor", True),
        ("Helper", False),
    ]
    runners = set(policy_selectors.audience_members(Audience.ACCOUNT_RUNNERS))
    assert runners == {setting["tutor"], setting["volunteer"]}
    assert selectors.registry()[0].warnings == []
    setting["volunteer"].leave_date = timezone.localdate() + dt.timedelta(days=10)
    setting["volunteer"].save()
    assert any("leaves on" in w for w in selectors.registry()[0].warnings)
