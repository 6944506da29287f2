"""Issue 21: the accounts registry and the proposals list run as many queries for twice the
accounts (the registry asked, per account, for its open leaver tasks and its last review, and per
runner for their declaration and training), and show one page of at most PAGE_SIZE at a time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.accounts import selectors
from socialguard.accounts.models import AccountRunner, LeaverTask, MonitoringReview, OrgAccount
from socialguard.accounts.views import PAGE_SIZE
from socialguard.identity.roles import Role
from socialguard.people.models import StaffMember
from socialguard.policies.models import Audience, Course, TrainingCompletion
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

ACCOUNT_ROW = re.compile(r'<a href="/accounts/(\d+)/">')


def _accounts(count: int, start: int, smt: Any) -> None:
    course = Course.objects.get_or_create(
        name="Runner training", defaults={"required_for": Audience.ACCOUNT_RUNNERS, "refresher_months": 12}
    )[0]
    today = timezone.localdate()
    for i in range(start, start + count):
        account = OrgAccount.objects.create(
            platform="instagram", handle=f"@dmm{i}", login_email=f"social{i}@dmm.example", monitor=smt
        )
        lead, other = (
            StaffMember.objects.create(
                external_id=f"R{i}-{n}",
                first_name="Run",
                last_name=f"Ner{i}{n}",
                employment_type="employee",
                leave_date=today + dt.timedelta(days=20) if n else None,
            )
            for n in range(2)
        )
        AccountRunner.objects.create(account=account, staff=lead, is_lead=True)
        AccountRunner.objects.create(account=account, staff=other)
        TrainingCompletion.objects.create(
            course=course,
            staff=lead,
            completed_on=today - dt.timedelta(days=400),
            expires_on=today - dt.timedelta(days=35),
            recorded_by=smt,
        )
        MonitoringReview.objects.create(
            account=account, reviewer=smt, reviewed_on=today - dt.timedelta(days=40), looked_at="posts"
        )
        LeaverTask.objects.create(account=account, staff=other, leave_date=today + dt.timedelta(days=20))


def _get(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_registry_runs_as_many_queries_for_twice_the_accounts(published: dict[str, Any]) -> None:
    smt = published["smt"]
    client = sign_in(Client(), smt)
    _accounts(3, 0, smt)
    few, page = _get(client, "/accounts/")
    assert "leaver task open: Run Ner01" in page and "monitoring review overdue" in page
    assert "has not declared the current policy" in page and "Runner training expired on" in page
    _accounts(3, 3, smt)
    many, page = _get(client, "/accounts/")
    assert len(set(ACCOUNT_ROW.findall(page))) == 6
    assert many == few


def test_the_registry_says_what_it_said_before(published: dict[str, Any]) -> None:
    """The bulk warnings are the per-account ones: compared with runner_blockers one by one."""
    from socialguard.accounts.lifecycle import review_due
    from socialguard.accounts.services import runner_problems

    smt = published["smt"]
    _accounts(2, 0, smt)
    for row in selectors.registry():
        for runner in row.runners:
            for problem in runner_problems(runner.staff):
                assert problem in row.warnings
        due = review_due(row.account)
        assert f"monitoring review overdue since {due:%-d %B %Y}" in row.warnings


def test_the_proposals_list_runs_as_many_queries_for_twice_the_proposals(published: dict[str, Any]) -> None:
    from socialguard.accounts import services

    smt = published["smt"]
    client = sign_in(Client(), smt)

    def propose(handle: str) -> None:
        services.proposal_submit(
            actor=published["boss"].user,
            values={
                "platform": "instagram",
                "handle": handle,
                "aim": "News",
                "audience": "Learners",
                "promotion": "Website",
                "two_factor": True,
                "visibility": "open",
            },
            runners=[
                services.RunnerChoice(published["tutor"], True),
                services.RunnerChoice(published["volunteer"], False),
            ],
        )

    for i in range(3):
        propose(f"@a{i}")
    few, _ = _get(client, "/accounts/proposals/")
    for i in range(3):
        propose(f"@b{i}")
    many, page = _get(client, "/accounts/proposals/")
    assert page.count("/accounts/proposals/") >= 6 and many == few
    few_registry, _ = _get(client, "/accounts/")
    for i in range(3):
        propose(f"@c{i}")
    assert _get(client, "/accounts/")[0] == few_registry


def test_the_registry_shows_a_page_at_a_time(published: dict[str, Any], make_user: Any) -> None:
    smt = published["smt"]
    OrgAccount.objects.bulk_create(
        OrgAccount(platform="x", handle=f"@bulk{i:03d}", login_email="s@dmm.example", monitor=smt)
        for i in range(PAGE_SIZE + 2)
    )
    client = sign_in(Client(), smt)
    first = client.get("/accounts/").content.decode()
    second = client.get("/accounts/?page=2").content.decode()
    assert len(set(ACCOUNT_ROW.findall(first))) == PAGE_SIZE
    assert len(set(ACCOUNT_ROW.findall(second))) == 2
    assert "Next page" in first and "Page 2 of 2" in second
    assert Role.SMT in smt.roles
