"""A record that names someone already in the register, written differently, never becomes a
second person: an external id that differs only in case or look-alike characters (an HR export
saying `e1` for `E1` would record a leave date on a new record while E1 kept their sign-in). The
row is refused with file, row and field, and nothing is saved. A shared staff email is real HR data
(a job-share, two contracts, an email moving from a leaver to a starter in one file) and imports;
no sign-in is linked to an email two records hold."""

from __future__ import annotations

from typing import Any

import pytest

from socialguard.people.models import Guardian, Learner, StaffMember
from socialguard.people.services import ImportFailed, people_import, person_save

HEADER = b"external_id,first_name,last_name,email,employment_type,leave_date\n"
ADA = b"E1,Ada,Lovelace,ada@dmm.example,employee,\n"


def _import(rows: bytes, kind: str = "staff", header: bytes = HEADER) -> Any:
    return people_import(actor=None, kind=kind, data=header + rows, filename="hr.csv")


def _refused(rows: bytes, kind: str = "staff", header: bytes = HEADER) -> str:
    with pytest.raises(ImportFailed) as failed:
        _import(rows, kind, header)
    return str(failed.value)


@pytest.mark.parametrize("written", [b"e1", b"\xef\xbc\xa51"])  # lower case; a full-width E
def test_a_leaver_row_with_the_id_written_differently_is_refused(db: Any, written: bytes) -> None:
    _import(ADA)
    message = _refused(written + b",Ada,Lovelace,ada@dmm.example,employee,2026-01-31\n")
    assert "hr.csv, row 2, field 'external_id'" in message
    assert "'E1' (Ada Lovelace)" in message
    assert list(StaffMember.objects.values_list("external_id", "leave_date")) == [("E1", None)]


def test_two_rows_naming_one_person_differently_in_one_file_are_refused(db: Any) -> None:
    message = _refused(ADA + b"e1,Ada,Lovelace,,employee,\n")
    assert "hr.csv, row 3, field 'external_id': 'e1' already appears on row 2" in message
    assert not StaffMember.objects.exists()


def test_shared_and_moving_emails_import_and_link_no_sign_in(db: Any, make_user: Any) -> None:
    """A register that already holds two records with one email (a job-share) re-imports with a
    leaver in the same file; an email moving from a leaver to a starter in one file imports too."""
    user = make_user(email="ada@dmm.example")
    _import(ADA + b"E2,Ada,Lovelace (second contract),Ada@DMM.example,employee,\n")
    result = _import(
        ADA + b"E2,Ada,Lovelace (second contract),ada@dmm.example,employee,\n"
        b"E5,Lee,Leaver,lee@dmm.example,employee,2026-01-31\n"
    )
    assert result.created == ["E5"]
    assert not StaffMember.objects.filter(user=user).exists()  # which of the two is meant is not known
    _import(b"E5,Lee,Leaver,,employee,2026-01-31\nE6,Lee,Starter,lee@dmm.example,employee,\n")
    assert StaffMember.objects.get(external_id="E6").email == "lee@dmm.example"


def test_a_single_record_is_checked_as_an_import_row_is(db: Any) -> None:
    _import(ADA + b"E2,Ben,Okri,ben@dmm.example,employee,\n")
    raw = {"external_id": "e1", "first_name": "Ada", "last_name": "L", "employment_type": "employee"}
    with pytest.raises(ImportFailed, match="'E1' \\(Ada Lovelace\\)"):
        person_save(actor=None, kind="staff", raw=raw)
    assert StaffMember.objects.count() == 2


def test_the_same_people_again_and_a_shared_family_email_still_import(db: Any) -> None:
    _import(ADA)
    result = _import(b"E1,Ada,Lovelace,ADA@dmm.example,employee,2026-01-31\n")
    assert result.updated == ["E1"]
    _import(b"external_id,first_name,last_name\nL1,Kit,Lee\n", "learners", b"")
    guardians = b"external_id,first_name,last_name,email,learner_ids\n"
    _import(b"G1,Sam,Lee,lees@home.example,L1\nG2,Jo,Lee,lees@home.example,L1\n", "guardians", guardians)
    assert Guardian.objects.filter(email="lees@home.example").count() == 2
    assert Learner.objects.count() == 1
