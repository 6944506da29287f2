"""Line management must end somewhere: an import or a single edit that would make people manage
each other in a circle (A manages B and B manages A, or longer) is refused, naming the file, row
and field, and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from socialguard.people.models import StaffMember
from socialguard.people.services import ImportFailed, people_import, person_save

HEADER = b"external_id,first_name,last_name,employment_type,line_manager_id\n"


def _import(rows: bytes) -> Any:
    return people_import(actor=None, kind="staff", data=HEADER + rows, filename="staff.csv")


def test_two_people_managing_each_other_in_one_file_are_refused(db: Any) -> None:
    with pytest.raises(ImportFailed) as failed:
        _import(b"A,An,One,employee,B\nB,Be,Two,employee,A\n")
    message = str(failed.value)
    assert (
        "staff.csv, row 2, field 'line_manager_id': line managers would go round in a circle (A → B → A)"
        in message
    )
    assert "staff.csv, row 3, field 'line_manager_id'" in message
    assert not StaffMember.objects.exists()  # all or nothing


def test_a_longer_circle_is_refused(db: Any) -> None:
    with pytest.raises(ImportFailed, match=r"row 4, field 'line_manager_id': .*\(C → A → B → C\)"):
        _import(b"A,An,One,employee,B\nB,Be,Two,employee,C\nC,Cy,Three,employee,A\nD,Di,Four,employee,A\n")
    assert not StaffMember.objects.exists()


def test_self_management_is_still_refused(db: Any) -> None:
    with pytest.raises(ImportFailed, match="row 2, field 'line_manager_id': a person cannot be their own"):
        _import(b"A,An,One,employee,A\n")


def test_a_circle_closed_through_people_already_imported_is_refused(db: Any) -> None:
    _import(b"A,An,One,employee,\nB,Be,Two,employee,A\nC,Cy,Three,employee,B\n")
    with pytest.raises(ImportFailed, match=r"row 2, field 'line_manager_id': .*\(A → C → B → A\)"):
        _import(b"A,An,One,employee,C\n")
    assert StaffMember.objects.get(external_id="A").line_manager is None


def test_a_file_that_breaks_a_chain_while_reordering_it_is_fine(db: Any) -> None:
    _import(b"A,An,One,employee,\nB,Be,Two,employee,A\n")
    # B becomes A's manager and B's own manager is removed in the same file: no circle.
    _import(b"A,An,One,employee,B\nB,Be,Two,employee,\n")
    assert StaffMember.objects.get(external_id="A").line_manager.external_id == "B"  # type: ignore[union-attr]


def test_a_single_edit_that_closes_a_circle_is_refused(register: dict[str, Any]) -> None:
    boss = register["boss"]  # S1 manages S2 (tutor)
    with pytest.raises(ImportFailed, match=r"record, field 'line_manager_id': .*\(S1 → S2 → S1\)"):
        person_save(actor=None, kind="staff", raw={"line_manager_id": "S2"}, instance=boss)
    boss.refresh_from_db()
    assert boss.line_manager is None


def test_the_web_form_and_the_api_refuse_a_circle(
    client_for: Any, make_user: Any, register: dict[str, Any]
) -> None:
    boss = register["boss"]
    data = {"external_id": "S1", "first_name": "Ada", "last_name": "Boss",
            "employment_type": "employee", "line_manager_id": "S3"}  # fmt: skip
    page = client_for(Role.SMT).post(f"/people/staff/{boss.pk}/edit/", data).content.decode()
    assert "line managers would go round in a circle (S1 → S3 → S1)" in page
    secret = token_create(user=make_user(Role.SMT), name="t", scope=TokenScope.READ_WRITE).secret
    refused = Client().patch(
        f"/api/v1/people/staff/{boss.pk}",
        {"line_manager_id": "S2"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert refused.status_code == 400, refused.content
    assert "line_manager_id" in refused.content.decode() and "circle" in refused.content.decode()
    boss.refresh_from_db()
    assert boss.line_manager is None
