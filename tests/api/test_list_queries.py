"""Every API list runs the same number of SQL queries for N rows as for 2N: a page costs a fixed
number of queries, not one (or several) per row. At a large college group's size the case list
ran 6,038 queries for one page and the accounts list 1,434 (issue 21).

Each entry adds rows of its kind; the test counts the queries of one full page (limit 200) with N
rows and again with 2N, and asks for the same count."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.accounts.models import AccountRunner, LeaverTask, OrgAccount, Proposal, ProposalRunner
from socialguard.audit.services import EventSpec, audit_append_many
from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from socialguard.incidents import services as cases
from socialguard.monitoring.models import Alert, AlertKind, Source
from socialguard.people.models import Department, Guardian, Learner, StaffMember
from socialguard.policies.models import Audience, Course, TrainingCompletion
from socialguard.privacy.models import ScreeningRecord

N = 3
_serial = itertools.count(1)


def _staff(**extra: Any) -> StaffMember:
    n = next(_serial)
    return StaffMember.objects.create(
        external_id=f"SQ{n}", first_name="Quin", last_name=f"Count{n}", employment_type="employee", **extra
    )


def _add_staff(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        _staff(department=ctx["dept"], line_manager=ctx["boss"])


def _add_learners(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        k = next(_serial)
        Learner.objects.create(external_id=f"LQ{k}", first_name="Lee", last_name=f"Count{k}")


def _add_guardians(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        k = next(_serial)
        learner = Learner.objects.create(external_id=f"LG{k}", first_name="Lou", last_name=f"Kid{k}")
        guardian = Guardian.objects.create(external_id=f"GQ{k}", first_name="Gus", last_name=f"Count{k}")
        guardian.learners.add(learner)


def _account(ctx: dict[str, Any]) -> OrgAccount:
    k = next(_serial)
    account = OrgAccount.objects.create(platform="x", handle=f"@dmm_count{k}", monitor=ctx["smt"])
    lead, other = _staff(leave_date=timezone.localdate() + dt.timedelta(days=30)), _staff()
    AccountRunner.objects.create(account=account, staff=lead, is_lead=True)
    AccountRunner.objects.create(account=account, staff=other)
    TrainingCompletion.objects.create(course=ctx["course"], staff=other, completed_on=dt.date(2020, 1, 1))
    return account


def _add_accounts(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        _account(ctx)


def _add_proposals(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        k = next(_serial)
        proposal = Proposal.objects.create(
            proposer=ctx["boss"], platform="x", handle=f"@dmm_new{k}", aim="a", audience="b", promotion="c"
        )
        ProposalRunner.objects.create(proposal=proposal, staff=_staff(), is_lead=True)
        ProposalRunner.objects.create(proposal=proposal, staff=_staff())


def _add_leaver_tasks(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        account = _account(ctx)
        runner = account.runners.select_related("staff").get(is_lead=True)
        LeaverTask.objects.create(
            account=account, staff=runner.staff, was_lead=True, leave_date=runner.staff.leave_date
        )


def _add_cases(ctx: dict[str, Any], n: int) -> None:
    for k in range(n):
        cases.report_submit(
            actor=ctx["reporter"],
            category=["offensive", "safeguarding", "criticism"][k % 3],
            summary=f"A post about the college {next(_serial)}",
        )


def _add_events(ctx: dict[str, Any], n: int) -> None:
    at = timezone.now()
    audit_append_many(
        EventSpec(
            at=at, action="people.updated", object_type="people.staffmember", object_id=str(next(_serial))
        )
        for _ in range(n)
    )


def _add_alerts(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        k = next(_serial)
        Alert.objects.create(
            dedup_key=f"count:{k}",
            kind=AlertKind.CRITICISM,
            author=f"someone{k}.bsky.social",
            text="The college is terrible",
            assignee=ctx["smt"],
            created_at=timezone.now(),
            account=_account(ctx),
        )


def _add_sources(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        Source.objects.create(name=f"Feed {next(_serial)}", kind="feed", account=_account(ctx))


def _add_screening(ctx: dict[str, Any], n: int) -> None:
    for _ in range(n):
        ScreeningRecord.objects.create(
            candidate=f"Candidate {next(_serial)}",
            role_applied_for="Tutor",
            lawful_basis="legal_obligation",
            candidate_told=True,
            status="ready",
            recorded_by=ctx["smt"],
            created_at=timezone.now(),
        )


LISTS: dict[str, tuple[str, Role, Callable[[dict[str, Any], int], None]]] = {
    "staff": ("/api/v1/people/staff", Role.SMT, _add_staff),
    "learners": ("/api/v1/people/learners", Role.SMT, _add_learners),
    "guardians": ("/api/v1/people/guardians", Role.SMT, _add_guardians),
    "directory": ("/api/v1/people/directory", Role.STAFF, _add_staff),
    "accounts": ("/api/v1/accounts", Role.SMT, _add_accounts),
    "proposals": ("/api/v1/accounts/proposals", Role.SMT, _add_proposals),
    "leaver tasks": ("/api/v1/accounts/leaver-tasks", Role.SMT, _add_leaver_tasks),
    "cases (SMT)": ("/api/v1/cases", Role.SMT, _add_cases),
    "cases (DSL)": ("/api/v1/cases", Role.DSL, _add_cases),
    "audit events": ("/api/v1/audit/events", Role.AUDITOR, _add_events),
    "monitoring alerts": ("/api/v1/monitoring/alerts", Role.SMT, _add_alerts),
    "monitoring sources": ("/api/v1/monitoring/sources", Role.SMT, _add_sources),
    "recruitment checks": ("/api/v1/privacy/recruitment", Role.SMT, _add_screening),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_for_twice_the_rows(
    name: str, client: Client, register: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    path, role, add = LISTS[name]
    reader = make_user(role, Role.STAFF) if role != Role.AUDITOR else make_user(role)
    ctx = {
        "dept": Department.objects.create(name="Counting", site="Leeds"),
        "boss": register["boss"],
        "smt": make_user(Role.SMT),
        "reporter": make_user(Role.STAFF),
        "course": Course.objects.create(
            code="runners", name="Runner training", required_for=Audience.ACCOUNT_RUNNERS
        ),
    }
    secret = token_create(user=reader, name="count", scope=TokenScope.READ_WRITE).secret

    def page() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{path}?limit=200", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200, response.content
        body = response.json()
        return len(queries), body.get("count", len(body["items"]))

    add(ctx, N)
    few, count_few = page()
    add(ctx, N)
    many, count_many = page()
    assert count_many >= count_few + N, "the rows added must be on the page"
    assert many == few, f"{name}: {few} queries for {count_few} rows, {many} for {count_many}"
