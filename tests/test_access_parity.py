"""The web and the API give each person the same answer about the same object: a page opens
exactly when the API reads the object, and a list page shows exactly the objects the API lists.

Checked for one person per role, plus the people an object names (a proposer, a lead runner,
a non-lead runner, a runner who was removed), over account proposals, organisational accounts,
the staff directory used to name runners, the staff register and policy versions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from socialguard.accounts import services
from socialguard.accounts.models import AccountRunner, OrgAccount, Proposal
from socialguard.cli import main
from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from socialguard.people.models import Organisation, StaffMember
from socialguard.policies.models import PolicyVersion
from tests.conftest import sign_in
from tests.policy_fixtures import V2, import_version

PROPOSAL_LINK = re.compile(r'href="/accounts/proposals/(\d+)/"')
ACCOUNT_LINK = re.compile(r'href="/accounts/(\d+)/"')
VERSION_LINK = re.compile(r'href="/policy/versions/(\d+)/"')
STAFF_LINK = re.compile(r'href="/people/staff/(\d+)/"')
RUNNER_CHOICE = re.compile(r'<input\b[^>]*\bname="runners"[^>]*>')
VALUE = re.compile(r'\bvalue="(\d+)"')


@dataclass
class World:
    personas: dict[str, Any]
    proposals: list[Proposal]
    accounts: list[OrgAccount]
    versions: list[PolicyVersion]
    staff_ids: dict[int, str] = field(default_factory=dict)  # register pk -> staff ID


def _proposal(actor: Any, lead: StaffMember, other: StaffMember, handle: str) -> Proposal:
    return services.proposal_submit(
        actor=actor,
        values={
            "platform": "x",
            "handle": handle,
            "aim": "a",
            "audience": "b",
            "promotion": "c",
            "two_factor": True,
            "visibility": "open",
        },
        runners=[services.RunnerChoice(lead, True), services.RunnerChoice(other, False)],
    )


@pytest.fixture
def world(published: dict[str, Any], make_user: Callable[..., Any]) -> World:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    boss, tutor, volunteer = published["boss"], published["tutor"], published["volunteer"]
    proposals = [
        _proposal(boss.user, tutor, volunteer, "@dmm-one"),  # boss proposes; tutor leads
        _proposal(volunteer.user, boss, volunteer, "@dmm-two"),  # tutor is not named
    ]
    led = OrgAccount.objects.create(platform="linkedin", handle="dmm-careers", login_email="c@dmm.example")
    AccountRunner.objects.create(account=led, staff=tutor, is_lead=True)
    AccountRunner.objects.create(account=led, staff=boss, active=False, removed_at=timezone.now())
    other = OrgAccount.objects.create(platform="facebook", handle="dmm-news", login_email="n@dmm.example")
    AccountRunner.objects.create(account=other, staff=volunteer, is_lead=False)
    personas = {role.value: make_user(role) for role in Role}
    personas |= {
        "proposer": boss.user,  # also a removed runner of dmm-careers
        "lead runner": tutor.user,
        "non-lead runner": volunteer.user,
    }
    draft = import_version(published["qd"], V2)  # for its reviewers only
    staff_ids = dict(StaffMember.objects.values_list("pk", "external_id"))
    return World(personas, proposals, [led, other], [published["v1"], draft], staff_ids)


class Surfaces:
    """One person's web session and API token."""

    def __init__(self, user: Any) -> None:
        self.web = sign_in(Client(), user)
        secret = token_create(user=user, name="parity", scope=TokenScope.READ).secret
        self.bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        self.api_client = Client()

    def page(self, url: str) -> tuple[bool, str]:
        response = self.web.get(url)
        assert response.status_code in (200, 403, 404), f"{url}: {response.status_code}"
        return response.status_code == 200, response.content.decode()

    def api(self, url: str) -> tuple[bool, Any]:
        response = self.api_client.get(url, **self.bearer)
        assert response.status_code in (200, 403, 404), f"{url}: {response.status_code}"
        allowed = response.status_code == 200
        return allowed, response.json() if allowed else None

    def api_list(self, url: str) -> tuple[bool, list[dict[str, Any]]]:
        allowed, body = self.api(f"{url}{'&' if '?' in url else '?'}limit=200")
        return allowed, body["items"] if allowed else []


PERSONAS = [role.value for role in Role] + ["proposer", "lead runner", "non-lead runner"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_web_and_api_agree(world: World, persona: str) -> None:
    s = Surfaces(world.personas[persona])
    disagreements: list[str] = []

    def agree(what: str, web: Any, api: Any) -> None:
        if web != api:
            disagreements.append(f"{what}: web {web!r}, API {api!r}")

    # Proposals: the list, then each one.
    web_ok, page = s.page("/accounts/proposals/")
    api_ok, items = s.api_list("/api/v1/accounts/proposals")
    web_listed = {int(pk) for pk in PROPOSAL_LINK.findall(page)} if web_ok else set()
    agree("proposals listed", web_listed, {p["id"] for p in items})
    for proposal in world.proposals:
        agree(
            f"proposal {proposal.handle}",
            s.page(f"/accounts/proposals/{proposal.pk}/")[0],
            s.api(f"/api/v1/accounts/proposals/{proposal.pk}")[0],
        )
        agree(
            f"proposal {proposal.handle} listed where it opens",
            proposal.pk in web_listed,
            s.page(f"/accounts/proposals/{proposal.pk}/")[0],
        )

    # Accounts: the registry (or, for a runner, the accounts they run beside their proposals).
    registry_ok, registry = s.page("/accounts/")
    web_accounts = {int(pk) for pk in ACCOUNT_LINK.findall(page)}
    if registry_ok:
        web_accounts |= {int(pk) for pk in ACCOUNT_LINK.findall(registry)}
    api_ok, items = s.api_list("/api/v1/accounts")
    agree("accounts listed", web_accounts, {a["id"] for a in items})
    for account in world.accounts:
        opens = s.page(f"/accounts/{account.pk}/")[0]
        agree(f"account {account.handle}", opens, s.api(f"/api/v1/accounts/{account.pk}")[0])
        agree(f"account {account.handle} listed where it opens", account.pk in web_accounts, opens)

    # The directory that naming runners needs: the proposal form's choices and the API lookup.
    web_ok, form = s.page("/accounts/proposals/new/")
    web_choices = (
        {world.staff_ids[int(v)] for tag in RUNNER_CHOICE.findall(form) for v in VALUE.findall(tag)}
        if web_ok
        else None
    )
    api_ok, items = s.api_list("/api/v1/people/directory")
    agree("staff directory", web_choices, {i["staff_id"] for i in items} if api_ok else None)
    for item in items:
        assert set(item) == {"staff_id", "name", "department"}, item  # nothing personal beyond those

    # Policy versions: drafts only for their reviewers.
    web_ok, page = s.page("/policy/versions/")
    api_ok, items = s.api_list("/api/v1/policy/versions")
    web_versions = {int(pk) for pk in VERSION_LINK.findall(page)} if web_ok else set()
    agree("policy versions listed", web_versions, {v["id"] for v in items})
    for version in world.versions:
        opens = s.page(f"/policy/versions/{version.pk}/")[0]
        agree(f"policy version {version.number}", opens, s.api(f"/api/v1/policy/versions/{version.pk}")[0])
        agree(f"policy version {version.number} listed where it opens", version.pk in web_versions, opens)

    # The staff register.
    web_ok, register = s.page("/people/staff/")
    api_ok, items = s.api_list("/api/v1/people/staff")
    agree(
        "staff register",
        {int(pk) for pk in STAFF_LINK.findall(register)} if web_ok else None,
        {i["id"] for i in items} if api_ok else None,
    )

    assert not disagreements, f"{persona}:\n" + "\n".join(disagreements)


def _api_ids(user: Any, url: str) -> set[Any]:
    allowed, items = Surfaces(user).api_list(url)
    return {i.get("id", i.get("staff_id")) for i in items} if allowed else set()


def test_each_person_sees_what_names_them_and_no_more(world: World) -> None:
    """Least privilege, on top of agreement: who sees which proposal and account."""
    one, two = (p.pk for p in world.proposals)
    led, other = (a.pk for a in world.accounts)
    expected_proposals = {
        "smt": {one, two},
        "quality_director": {one, two},
        "auditor": {one, two},
        "staff": set(),
        "dsl": set(),
        "deputy_dsl": set(),
        "proposer": {one, two},  # proposed one, named as lead of two
        "lead runner": {one},
        "non-lead runner": {one, two},
    }
    expected_accounts = {
        "smt": {led, other},
        "quality_director": {led, other},
        "auditor": {led, other},
        "staff": set(),
        "dsl": set(),
        "deputy_dsl": set(),
        "proposer": set(),  # removed from dmm-careers: no longer sees it
        "lead runner": {led},
        "non-lead runner": {other},
    }
    for persona, user in world.personas.items():
        assert _api_ids(user, "/api/v1/accounts/proposals") == expected_proposals[persona], persona
        assert _api_ids(user, "/api/v1/accounts") == expected_accounts[persona], persona


def test_a_staff_member_finds_runners_by_name_and_proposes_with_their_ids(world: World) -> None:
    s = Surfaces(world.personas["staff"])
    allowed, found = s.api_list("/api/v1/people/directory?q=tutor")
    assert allowed and found == [{"staff_id": "S2", "name": "Ben Tutor", "department": "Digital Marketing"}]
    assert s.api_list("/api/v1/people/directory?q=ben@dmm.example")[1] == []  # not by email
    assert not s.api_list("/api/v1/people/staff")[0]  # the register itself stays closed
    deputy = Surfaces(world.personas["deputy_dsl"])  # may not propose, so needs no directory
    assert not deputy.api_list("/api/v1/people/directory")[0]


@pytest.mark.parametrize("persona", ["staff", "deputy_dsl", "auditor"])
def test_the_cli_directory_answers_as_the_api_does(world: World, persona: str) -> None:
    user = world.personas[persona]
    result = CliRunner().invoke(main, ["accounts", "directory", "--as", user.email])
    allowed, items = Surfaces(user).api_list("/api/v1/people/directory")
    if allowed:
        assert result.exit_code == 0, result.output
        lines = [line.split("\t") for line in result.output.splitlines()]
        assert [(i["staff_id"], i["name"]) for i in items] == [(line[0], line[1]) for line in lines]
    else:
        assert result.exit_code == 1 and "may not look up staff" in result.output
