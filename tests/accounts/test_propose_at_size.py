"""Issue 21: the proposal form at a large college's size. Past SHOW_ALL people it lists only those
found by its search and those already chosen (it listed every member of staff: 2 MB at 10,000),
with the same number of queries whatever the size; Find works without JavaScript, and the search
as you type (picker.js) asks `find_people`, which answers a few names only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.accounts.forms import FOUND_MAX, SHOW_ALL
from socialguard.accounts.models import Proposal
from socialguard.people.models import Organisation, StaffMember
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

BOX = re.compile(r'<input type="checkbox" name="runners" value="(\d+)"')
FORM = {
    "platform": "instagram",
    "handle": "@dmm_careers",
    "aim": "Careers news",
    "audience": "Learners",
    "promotion": "Website",
    "two_factor": "on",
    "shared_mailbox": "careers@dmm.example",
    "visibility": "open",
}


def _staff(count: int, start: int = 0) -> None:
    StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"B{i:05d}", first_name="Bulk", last_name=f"Person{i:05d}", employment_type="employee"
        )
        for i in range(start, start + count)
    )


@pytest.fixture
def proposer(published: dict[str, Any]) -> Client:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    return sign_in(Client(), published["boss"].user)


def _get(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_form_lists_no_more_people_and_runs_no_more_queries_for_twice_the_staff(proposer: Client) -> None:
    _staff(SHOW_ALL + 10)
    few_queries, few = _get(proposer, "/accounts/proposals/new/")
    _staff(SHOW_ALL + 10, start=SHOW_ALL + 10)
    many_queries, many = _get(proposer, "/accounts/proposals/new/")
    assert many_queries == few_queries
    assert BOX.findall(many) == [] and "Person00001" not in many  # nobody listed until a search
    assert 'data-finder="/accounts/proposals/people/"' in many
    assert len(many) < len(few) + 200


def test_a_short_directory_is_still_listed_in_full(proposer: Client) -> None:
    _staff(5)
    page = proposer.get("/accounts/proposals/new/").content.decode()
    assert len(BOX.findall(page)) == StaffMember.objects.count() <= SHOW_ALL
    assert "data-finder" not in page


def test_find_without_javascript_lists_matches_and_keeps_the_answers(
    proposer: Client, published: dict[str, Any]
) -> None:
    _staff(2 * SHOW_ALL)
    tutor = published["tutor"]
    page = proposer.post(
        "/accounts/proposals/new/", {**FORM, "find": "person0001", "find_runners": "1", "runners": [tutor.pk]}
    ).content.decode()
    listed = {int(pk) for pk in BOX.findall(page)}
    found = set(StaffMember.objects.filter(last_name__startswith="Person0001").values_list("pk", flat=True))
    assert listed == found | {tutor.pk} and len(found) == 10
    assert f'value="{tutor.pk}" id="id_runners_0" checked' in page  # the ticked one stays, first
    assert 'value="@dmm_careers"' in page  # the answers so far are kept
    assert "There is a problem" not in page  # Find is not sending: nothing is missing yet
    assert "10 found." in page

    # Too many matches: the first FOUND_MAX, and a word on narrowing.
    page = proposer.post(
        "/accounts/proposals/new/", {**FORM, "find": "bulk", "find_runners": "1"}
    ).content.decode()
    assert len(BOX.findall(page)) == FOUND_MAX
    assert "type more of the name to narrow it" in page

    # Then send it with two of the people found: the proposal names them.
    zed, other = StaffMember.objects.filter(last_name__startswith="Person0001")[:2]
    response = proposer.post(
        "/accounts/proposals/new/", {**FORM, "runners": [zed.pk, other.pk], "lead": zed.pk}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert {r.staff_id for r in proposal.runners.all()} == {zed.pk, other.pk}


def test_two_runners_are_still_required(proposer: Client, published: dict[str, Any]) -> None:
    _staff(2 * SHOW_ALL)
    tutor = published["tutor"]
    page = proposer.post(
        "/accounts/proposals/new/", {**FORM, "runners": [tutor.pk], "lead": tutor.pk}
    ).content.decode()
    assert "Name at least two staff members" in page
    assert re.search(rf'value="{tutor.pk}" id="id_runners_0"[^>]* checked', page)  # still listed, ticked
    assert not Proposal.objects.exists()


def test_the_search_as_you_type_answers_a_few_names(proposer: Client) -> None:
    _staff(2 * SHOW_ALL)
    with CaptureQueriesContext(connection) as queries:
        data = proposer.get("/accounts/proposals/people/?q=bulk").json()
    assert len(data["people"]) == FOUND_MAX and data["more"] is True
    assert set(data["people"][0]) == {"id", "name", "detail"}  # nothing personal beyond the directory
    assert len(queries) < 10
    one = proposer.get("/accounts/proposals/people/?q=B00007").json()  # a staff ID
    assert [p["name"] for p in one["people"]] == ["Bulk Person00007"] and one["more"] is False
    assert proposer.get("/accounts/proposals/people/").json() == {"people": [], "more": False}


def test_the_search_is_for_those_who_may_propose(client_for: Any) -> None:
    from socialguard.identity.roles import Role

    response = client_for(Role.AUDITOR).get("/accounts/proposals/people/?q=bulk")
    assert response.status_code in (302, 403)
