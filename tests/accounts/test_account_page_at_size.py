"""Issue 21: the account page offered every member of staff in post as a runner to add (10,000
options, 1.2 s). Past SHOW_ALL it offers only those found by name or staff ID, at most FOUND_MAX,
with the same number of queries whatever the size."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.accounts.models import AccountRunner, OrgAccount
from socialguard.accounts.selectors import FOUND_MAX, SHOW_ALL
from socialguard.people.models import StaffMember
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

OFFER = re.compile(r'<option value="(\d+)">')


def _staff(count: int, start: int = 0) -> None:
    StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"B{i:05d}", first_name="Bulk", last_name=f"Person{i:05d}", employment_type="employee"
        )
        for i in range(start, start + count)
    )


@pytest.fixture
def account(register: dict[str, Any], make_user: Any) -> OrgAccount:
    from socialguard.identity.roles import Role

    smt = make_user(Role.SMT, email="smt@dmm.example", name="Sam Senior")
    account = OrgAccount.objects.create(
        platform="instagram", handle="@dmm", login_email="social@dmm.example", monitor=smt
    )
    AccountRunner.objects.create(account=account, staff=register["tutor"], is_lead=True)
    account.smt = smt  # type: ignore[attr-defined]
    return account


def _offered(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('id="add-runner"') : page.index("Add runner</button>")]
    return len(queries), OFFER.findall(section)


def test_the_account_page_offers_no_more_people_for_twice_the_staff(account: OrgAccount) -> None:
    client = sign_in(Client(), account.smt)  # type: ignore[attr-defined]
    url = f"/accounts/{account.pk}/"
    _staff(SHOW_ALL + 5)
    few_queries, few = _offered(client, url)
    _staff(SHOW_ALL + 5, start=SHOW_ALL + 5)
    many_queries, many = _offered(client, url)
    assert few == many == []  # find the person first
    assert many_queries == few_queries
    _, found = _offered(client, url + "?find=person0000")
    assert len(found) == 10
    _, found = _offered(client, url + "?find=bulk")
    assert len(found) == FOUND_MAX
    _, found = _offered(client, url + "?find=B00003")  # a staff ID
    assert found == [str(StaffMember.objects.get(external_id="B00003").pk)]


def test_a_short_list_is_still_offered_in_full(account: OrgAccount, register: dict[str, Any]) -> None:
    client = sign_in(Client(), account.smt)  # type: ignore[attr-defined]
    _, offered = _offered(client, f"/accounts/{account.pk}/")
    in_post = StaffMember.objects.exclude(leave_date__lte=timezone.localdate()).exclude(
        pk=register["tutor"].pk
    )
    assert {int(pk) for pk in offered} == {s.pk for s in in_post if s.leave_date is None} != set()
