"""Issue 21: the case list costs the same number of queries for 10 cases as for 20 (it asked, per
case, whether it named the reader), and shows one page of at most PAGE_SIZE cases at a time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.incidents import services
from socialguard.incidents.views import PAGE_SIZE
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr class="case-row"')


def _cases(team: dict[str, Any], count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        services.report_submit(
            actor=team["tutor"].user,
            category="safeguarding" if i % 3 == 0 else "offensive",
            summary=f"A reply about the college, number {i}",
            parties=[services.PartyInput(role="subject", staff=team["boss"])],
        )


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("smt", "/cases/"),
        ("smt", "/cases/?q=college"),
        ("smt", "/cases/?status=open&category=offensive"),
        ("dsl", "/cases/"),
        ("dsl", "/cases/?q=college"),
        ("dsl", "/cases/?status=open&category=safeguarding"),
    ],
)
def test_the_case_list_runs_as_many_queries_for_twice_the_cases(
    team: dict[str, Any], role: str, url: str
) -> None:
    client = sign_in(Client(), team[role])
    _cases(team, 6)
    few, page = _queries(client, url)
    assert ROW.findall(page)  # the positive control: the page lists cases
    _cases(team, 6, start=6)
    many, page = _queries(client, url)
    assert len(ROW.findall(page)) > 2
    assert many == few


def test_the_case_list_shows_a_page_at_a_time(team: dict[str, Any]) -> None:
    client = sign_in(Client(), team["smt"])
    _cases(team, PAGE_SIZE + 3)
    first = client.get("/cases/").content.decode()
    assert len(ROW.findall(first)) == PAGE_SIZE
    assert f"{PAGE_SIZE + 3} cases, newest first: 1 to {PAGE_SIZE} shown" in first
    assert 'href="?page=2">Next page</a>' in first
    second = client.get("/cases/?page=2").content.decode()
    assert len(ROW.findall(second)) == 3
    # No case is on both pages.
    assert set(re.findall(r'data-reference="([^"]+)"', first)).isdisjoint(
        re.findall(r'data-reference="([^"]+)"', second)
    )


def test_access_for_many_cases_agrees_with_access_for_one(team: dict[str, Any], restricted_case: Any) -> None:
    from socialguard.incidents.access import access, access_levels
    from socialguard.incidents.models import Case

    _cases(team, 3)
    services.report_submit(
        actor=team["tutor"].user,
        category="offensive",
        summary="Names Ivy",
        parties=[services.PartyInput(role="subject", staff=team["ivy"])],
    )
    cases = list(Case.objects.all())
    people = [team[k] for k in ("smt", "dsl", "deputy", "auditor", "involved_smt")] + [team["tutor"].user]
    levels = {access(p, c) for p in people for c in cases}
    assert len(levels) == 4  # every level occurs: the comparison below is not vacuous
    for person in people:
        assert access_levels(person, cases) == {c.pk: access(person, c) for c in cases}, person
