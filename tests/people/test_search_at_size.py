"""Name search and paged lists at size (issue 21): one helper finds people the same way in every
register and picker; the sign-ins list is paged and searchable; the registers and the CSV exports
run the same number of queries for twice the people; on PostgreSQL a trigram index serves the
search."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.identity.models import RoleAssignment, User
from socialguard.identity.roles import Role
from socialguard.people import selectors
from socialguard.people.models import Guardian, Learner, StaffMember
from tests.conftest import sign_in


def _people(n: int, seed: int) -> None:
    StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"T{seed}-{i}",
            first_name="Tom",
            last_name=f"Tinker{seed}x{i}",
            email=f"t{seed}x{i}@dmm.example",
            employment_type="employee",
        )
        for i in range(n)
    )
    learners = Learner.objects.bulk_create(
        Learner(external_id=f"LS{seed}-{i}", first_name="Lia", last_name=f"Lark{seed}x{i}") for i in range(n)
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(external_id=f"GS{seed}-{i}", first_name="Gus", last_name=f"Gale{seed}x{i}") for i in range(n)
    )
    for learner, guardian in zip(learners, guardians, strict=True):
        guardian.learners.add(learner)
    users = User.objects.bulk_create(
        User(email=f"u{seed}x{i}@dmm.example", full_name=f"Una User{seed}x{i}", password="!")
        for i in range(n)
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, role=Role.STAFF) for u in users)


def test_each_word_must_match_a_name_or_email_and_an_id_matches_whole(register: dict[str, Any]) -> None:
    from socialguard.people.search import name_search

    staff = StaffMember.objects.all()
    assert set(name_search(staff, "ben")) == {register["tutor"]}
    assert set(name_search(staff, "BEN tut")) == {register["tutor"]}  # any case, part of a name
    assert set(name_search(staff, "ben boss")) == set()  # every word must match
    assert set(name_search(staff, "s2")) == {register["tutor"]}  # the ID, whole
    assert set(name_search(staff, "e")) == {register["tutor"], register["volunteer"]}  # Ben, Helper
    assert set(name_search(staff, "  ")) == set(staff)
    # The registers search with it.
    assert list(selectors.learner_list(q="young")) == [register["young"]]
    assert list(selectors.guardian_list(q="fay")) == [register["guardian"]]


@pytest.mark.parametrize(
    "path",
    [
        "/people/staff/",
        "/people/staff/?q=tom",
        "/people/learners/",
        "/people/learners/?q=lia",
        "/people/learners/?status=under18",
        "/people/guardians/",
        "/people/guardians/?q=gus",
        "/people/sign-ins/",
        "/people/sign-ins/?q=una",
        "/people/staff/export.csv",
        "/people/learners/export.csv",
        "/people/guardians/export.csv",
    ],
)
def test_registers_and_exports_run_the_same_queries_for_twice_the_people(
    register: dict[str, Any], client_for: Any, path: str
) -> None:
    smt = client_for(Role.SMT)
    counts = []
    for seed in (1, 2):
        _people(60, seed)
        with CaptureQueriesContext(connection) as captured:
            response = smt.get(path)
            assert response.status_code == 200
            pieces = list(response.streaming_content) if response.streaming else [response.content]
            body = b"".join(pieces)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    if path.endswith(".csv"):
        assert response.streaming  # written as it is read, not built in memory first
        assert body.count(b"\n") > 120
        assert len(pieces) < 5  # in pieces of many lines: a write per line made big exports slow
    else:
        assert body.decode().count("<tr>") <= 51  # a page of 50 and the heading


def test_sign_ins_are_paged_and_found_by_name_or_email(register: dict[str, Any], make_user: Any) -> None:
    _people(70, 1)
    smt = sign_in(Client(), make_user(Role.SMT))
    first = smt.get("/people/sign-ins/").content.decode()
    assert "Page 1 of 2" in first and "Next page" in first
    assert len(re.findall(r'href="/people/sign-ins/\d+/"', first)) == 50  # a page of people
    found = smt.get("/people/sign-ins/?q=user1x42").content.decode()
    assert "Una User1x42" in found and "Una User1x41" not in found and "1 sign-in" in found
    by_email = smt.get("/people/sign-ins/?q=u1x7%40dmm").content.decode()
    assert "Una User1x7<" in by_email
    assert "No sign-ins match" in smt.get("/people/sign-ins/?q=nobody-at-all").content.decode()
    second = smt.get("/people/sign-ins/?page=2").content.decode()
    assert "Page 2 of 2" in second


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
@pytest.mark.parametrize("model", [StaffMember, Learner, Guardian])
def test_on_postgresql_a_trigram_index_serves_the_name_search(db: Any, model: Any) -> None:
    from socialguard.people.search import name_search

    sql, params = name_search(model.objects.all(), "jones").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table would be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{model._meta.db_table}_last_name_trgm" in plan, plan
