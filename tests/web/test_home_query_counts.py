"""Home pages and the reminders page at size (issue 21): the number of SQL queries each person's
home page runs does not grow with the cases, staff, declarations or learners, and the cases
counted on it are exactly the ones `may_manage` allows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.accounts.models import Proposal
from socialguard.identity.roles import Role
from socialguard.incidents import access
from socialguard.incidents import services as cases
from socialguard.incidents.models import Case
from socialguard.people.models import Learner, StaffMember
from socialguard.policies import services as policies
from tests.conftest import sign_in
from tests.dates import years_before

ROLES = {
    "smt": (Role.SMT, Role.STAFF),
    "dsl": (Role.DSL, Role.STAFF),
    "quality": (Role.QUALITY_DIRECTOR, Role.STAFF),
    "auditor": (Role.AUDITOR,),
    "staff": (Role.STAFF,),
}


def _grow(team: dict[str, Any], n: int, seed: int) -> None:
    """`n` more of everything a home page summarises: cases (ordinary and safeguarding, some
    involving the SMT member), staff who owe a declaration (some reporting to the viewer), and
    learners."""
    involved = team["ivy"]
    for i in range(n):
        cases.report_submit(
            actor=team["tutor"].user,
            category="safeguarding" if i % 3 == 0 else "offensive",
            summary=f"Case {seed}-{i}",
            parties=[cases.PartyInput(role="subject", staff=involved)] if i % 4 == 0 else [],
        )
    manager = StaffMember.objects.get(user=team["smt"])
    StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"G{seed}-{i}",
            first_name="New",
            last_name=f"Starter{i}",
            employment_type="employee",
            line_manager=manager if i % 2 else None,
            start_date=dt.date(2020, 1, 1),
        )
        for i in range(n)
    )
    # Account proposals awaiting SMT's decision, each from a different member of staff.
    proposers = StaffMember.objects.filter(external_id__startswith=f"G{seed}-").order_by("pk")[
        : max(1, n // 4)
    ]
    Proposal.objects.bulk_create(
        Proposal(
            proposer=p,
            platform="instagram",
            handle=f"@dmm_{seed}_{p.pk}",
            aim="a",
            audience="b",
            promotion="c",
        )
        for p in proposers
    )
    today = timezone.localdate()
    Learner.objects.bulk_create(
        Learner(
            external_id=f"LG{seed}-{i}",
            first_name="Lee",
            last_name=f"Learner{i}",
            date_of_birth=years_before(today, 17),
        )
        for i in range(n)
    )


@pytest.fixture
def viewers(team: dict[str, Any], make_user: Any) -> dict[str, Any]:
    users = {name: make_user(*roles, email=f"home-{name}@dmm.example") for name, roles in ROLES.items()}
    # The SMT viewer is a member of staff who manages others: escalations reach them.
    StaffMember.objects.create(
        external_id="SV", first_name="Sam", last_name="Viewer", employment_type="employee", user=users["smt"]
    )
    version = policies.policy_import(
        actor=team["qd"], data=b"# Policy\n\n## 1. Use\n\nBe kind.\n", filename="p.md"
    )
    policies.version_publish(actor=team["qd"], version=version, issue_date=dt.date(2022, 2, 1))
    return {**team, **users}


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("path", ["/", "/policy/reminders/"])
def test_home_and_reminders_run_the_same_queries_for_twice_the_data(
    viewers: dict[str, Any], role: str, path: str
) -> None:
    client = sign_in(Client(), viewers[role])
    if path != "/" and client.get(path).status_code != 200:
        pytest.skip("not this role's page")
    counts = []
    for seed in (1, 2):
        _grow(viewers, 12, seed)
        counts.append(_queries(client, path))
    assert counts[0] == counts[1], counts


def test_the_cases_counted_for_each_person_are_the_ones_they_may_manage(viewers: dict[str, Any]) -> None:
    _grow(viewers, 12, 3)
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:3]).update(safeguarding_part=True)
    people = [viewers[k] for k in ("smt", "dsl", "quality", "auditor", "staff", "deputy", "involved_smt")]
    for user in people:
        expected = {c.pk for c in Case.objects.all() if access.may_manage(user, c)}
        assert set(access.manageable(user).values_list("pk", flat=True)) == expected, user
    # The walk sees something: the SMT member manages some cases, the involved one fewer.
    assert 0 < access.manageable(viewers["involved_smt"]).count() < access.manageable(viewers["smt"]).count()


def _grow_own_items(viewers: dict[str, Any], n: int, seed: int) -> None:
    """`n` more of what is the SMT viewer's own: accounts they monitor with a review overdue (half
    reviewed once, half never), leaver tasks, credentials to change, their own proposals that
    cannot be approved yet (each with runners), and posts of theirs sent back or failed, posts
    waiting for approval and approved posts to publish by hand (the full-size benchmark's SMT home
    ran a query per monitored account and per item: 248 queries at 200 accounts)."""
    from socialguard.accounts.models import (
        AccountRunner,
        LeaverTask,
        MonitoringReview,
        OrgAccount,
        ProposalRunner,
        VaultSecret,
    )
    from socialguard.content.models import CheckResult, Draft, State

    smt = viewers["smt"]
    me = StaffMember.objects.get(user=smt)
    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=400)
    others = StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"R{seed}-{i}",
            first_name="Rae",
            last_name=f"Runner{i}",
            employment_type="employee",
            start_date=dt.date(2020, 1, 1),
        )
        for i in range(n)
    )
    accounts = OrgAccount.objects.bulk_create(
        OrgAccount(
            platform="instagram",
            handle=f"@own_{seed}_{i}",
            login_email=f"own{seed}{i}@dmm.example",
            monitor=smt,
            review_every_days=30,
        )
        for i in range(n)
    )
    OrgAccount.objects.filter(pk__in=[a.pk for a in accounts]).update(created_at=long_ago)
    AccountRunner.objects.bulk_create(
        AccountRunner(account=a, staff=others[i], is_lead=True) for i, a in enumerate(accounts)
    )
    MonitoringReview.objects.bulk_create(
        MonitoringReview(account=a, reviewer=smt, reviewed_on=today - dt.timedelta(days=90), looked_at="x")
        for a in accounts[::2]
    )
    LeaverTask.objects.bulk_create(
        LeaverTask(account=a, staff=others[i], leave_date=today + dt.timedelta(days=9))
        for i, a in enumerate(accounts)
    )
    VaultSecret.objects.bulk_create(
        VaultSecret(
            account=a,
            kind="password",
            ciphertext=b"x",
            nonce=b"x",
            wrapped_key=b"x",
            key_nonce=b"x",
            key_id="k",
            changed_at=long_ago,
            rotate_every_days=180,
        )
        for a in accounts
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(proposer=me, platform="x", handle=f"@mine_{seed}_{i}", aim="a", audience="b", promotion="c")
        for i in range(n)
    )
    ProposalRunner.objects.bulk_create(
        ProposalRunner(proposal=p, staff=others[i], is_lead=True) for i, p in enumerate(proposals)
    )
    states = [State.CHANGES_REQUESTED, State.FAILED]
    mine = Draft.objects.bulk_create(
        Draft(account=a, author=me, text=f"Mine {i}", state=states[i % 2]) for i, a in enumerate(accounts)
    )
    theirs = Draft.objects.bulk_create(
        Draft(account=a, author=others[i], text=f"Theirs {i}", state=[State.SUBMITTED, State.APPROVED][i % 2])
        for i, a in enumerate(accounts)
    )
    CheckResult.objects.bulk_create(
        CheckResult(draft=d, verdict="pass", findings=[], content_hash="0" * 64, checked_at=timezone.now())
        for d in [*mine, *theirs]
    )


@pytest.mark.parametrize("path", ["/", "/policy/reminders/"])
def test_smt_own_items_run_the_same_queries_for_twice_as_many(viewers: dict[str, Any], path: str) -> None:
    client = sign_in(Client(), viewers["smt"])
    counts = []
    for seed in (1, 2):
        _grow_own_items(viewers, 6, seed)
        counts.append(_queries(client, path))
    assert counts[0] == counts[1], counts
    page = client.get(path).content.decode()
    for title in (
        "12 monitoring reviews overdue",
        "12 account runners are leaving",
        "Change 12 account credentials",
    ):
        assert title in page


def test_many_of_one_kind_become_one_item_that_says_how_many(viewers: dict[str, Any]) -> None:
    """A few are listed one by one; past GROUP_OVER, one item counts them and names the first
    (SMT's home page at full size listed 270 items)."""
    from socialguard.accounts.selectors import GROUP_OVER, home_items

    _grow_own_items(viewers, GROUP_OVER, 1)
    titles = [i.title for i in home_items(viewers["smt"])]
    assert sum(t.startswith("Monitoring review of @own_1_") for t in titles) == GROUP_OVER
    _grow_own_items(viewers, 1, 2)
    items = {i.title: i for i in home_items(viewers["smt"])}
    assert not any(t.startswith("Monitoring review of") for t in items)
    grouped = items[f"{GROUP_OVER + 1} monitoring reviews overdue"]
    assert grouped.url == "/accounts/" and grouped.urgency == "overdue"
    assert grouped.detail.startswith("Monitoring review of @own_")
    assert grouped.detail.endswith(f"and {GROUP_OVER + 1 - 3} more.")


def test_many_proposals_to_decide_are_counted_and_the_first_named(viewers: dict[str, Any]) -> None:
    from socialguard.accounts.selectors import home_items

    _grow(viewers, 12, 1)  # three proposals: each its own item
    assert sum(i.title.startswith("Decide the proposal for") for i in home_items(viewers["smt"])) == 3
    _grow(viewers, 12, 2)
    items = {i.title: i for i in home_items(viewers["smt"])}
    grouped = items["Decide 6 account proposals"]
    assert grouped.detail.startswith("Decide the proposal for @dmm_") and grouped.detail.endswith(
        "and 3 more."
    )
    assert (grouped.url, grouped.urgency) == ("/accounts/proposals/", "due")
