"""List pages survive whatever is typed into the address bar: huge page numbers, ids that are
not ids, NUL characters (PostgreSQL cannot compare text holding one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialguard.identity.roles import Role

ODD = [
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999",
    "1e400",
    "nan",
    "abc",
    "²",
]
PAGES = ["/people/staff/", "/people/learners/", "/people/guardians/", "/audit/", "/cases/"]
PARAMETERS = ["page", "department", "q", "type", "status", "since", "until", "actor", "action", "object_type"]


@pytest.mark.parametrize("url", PAGES)
def test_odd_values_never_give_a_server_error(
    client_for: Callable[..., Client], register: dict[str, Any], url: str
) -> None:
    client = client_for(Role.SMT, Role.AUDITOR)
    for name in PARAMETERS:
        for value in ODD:
            response = client.get(url, {name: value})
            assert response.status_code == 200, (url, name, value, response.status_code)


def test_a_huge_page_number_shows_the_last_page(
    client_for: Callable[..., Client], register: dict[str, Any]
) -> None:
    response = client_for(Role.AUDITOR).get("/people/staff/", {"page": "9223372036854775808"})
    assert response.status_code == 200 and response.context["page"].number == 1
    assert b"Ada" in response.content


def test_a_department_that_is_not_an_id_matches_nobody(
    client_for: Callable[..., Client], register: dict[str, Any]
) -> None:
    response = client_for(Role.AUDITOR).get("/people/staff/", {"department": "9223372036854775808"})
    assert response.status_code == 200 and response.context["total"] == 0


@pytest.mark.parametrize("url", [*PAGES, "/audit/export.csv"])
def test_a_nul_character_is_refused_plainly(client_for: Callable[..., Client], db: Any, url: str) -> None:
    response = client_for(Role.SMT, Role.AUDITOR).get(url, {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"NUL character" in response.content
    # The API answers a NUL with its documented 422 naming the parameter (tests/api/test_contract.py).


def test_a_nul_character_in_a_posted_form_is_refused_before_any_view(
    client_for: Callable[..., Client], db: Any
) -> None:
    """The report form's people involved are read straight from request.POST, past the form's own
    NUL check: a NUL there was stored on SQLite and would be a server error on PostgreSQL."""
    from socialguard.incidents.models import Case, Party

    client = client_for(Role.STAFF)
    body = {"category": "criticism", "summary": "probe", "party_name": "Foo\x00Bar", "party_role": "subject"}
    response = client.post("/cases/report/", body)
    assert response.status_code == 400 and b"NUL character" in response.content
    assert not Case.objects.exists() and not Party.objects.exists()
    # Without it the same form is taken.
    body["party_name"] = "Foo Bar"
    assert client.post("/cases/report/", body).status_code == 302


def test_ids_that_are_not_ids_never_give_a_server_error(published: dict[str, Any]) -> None:
    """A "²" passes str.isdigit() but int() refuses it, and a 20-digit id overflows the database:
    both were server errors where a page read an id from the address bar or a form."""
    from tests.conftest import sign_in

    qd = sign_in(Client(), published["qd"])
    smt = sign_in(Client(), published["smt"])
    version = published["v1"].pk
    for value in ODD:
        for client, method, url, data in [
            (qd, "get", f"/policy/versions/{version}/diff/", {"against": value}),
            (smt, "get", "/policy/training/record/", {"staff": value, "course": value}),
            (smt, "get", "/posts/new/", {"account": value}),
            (smt, "post", "/posts/check/", {"draft": value, "text": "Open day on Saturday"}),
            (smt, "post", "/posts/check/", {"account": value, "text": "Open day on Saturday"}),
        ]:
            response = getattr(client, method)(url, data)
            assert response.status_code < 500, (url, data, response.status_code)
