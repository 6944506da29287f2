"""CSV imports: clear errors naming file, row and field; all or nothing; re-import updates."""

from __future__ import annotations

import time
from typing import Any

import pytest

from socialguard.audit.models import AuditEvent
from socialguard.people.models import Department, Guardian, Learner, StaffMember
from socialguard.people.services import ImportFailed, people_export_csv, people_import

STAFF = b"""external_id,first_name,last_name,email,employment_type,job_title,department,site,line_manager_id,start_date,leave_date
E1,Ada,Lovelace,ada@dmm.example,employee,Head of Delivery,Delivery,Manchester,,2019-09-01,
E2,Ben,Okri,ben@dmm.example,Contract worker,Tutor,Delivery,Manchester,E1,01/02/2022,
E3,Cy,Twombly,,volunteer,Mentor,,,E1,,
"""


def _import(kind: str, data: bytes, name: str = "staff.csv") -> Any:
    return people_import(actor=None, kind=kind, data=data, filename=name)


def test_staff_import_creates_people_departments_and_managers(db: Any) -> None:
    result = _import("staff", STAFF)
    assert result.created == ["E1", "E2", "E3"]
    ben = StaffMember.objects.get(external_id="E2")
    assert ben.employment_type == "contract_worker"
    assert ben.line_manager is not None and ben.line_manager.external_id == "E1"
    assert str(ben.start_date) == "2022-02-01"
    assert Department.objects.get().site == "Manchester"
    event = AuditEvent.objects.get(action="people.imported")
    assert event.after["created"] == ["E1", "E2", "E3"]


def test_reimport_updates_by_external_id_instead_of_duplicating(db: Any) -> None:
    _import("staff", STAFF)
    changed = STAFF.replace(b"Tutor,Delivery", b"Senior Tutor,Delivery").replace(
        b"2019-09-01,\n", b"2019-09-01,2030-07-31\n"
    )
    result = _import("staff", changed)
    assert StaffMember.objects.count() == 3
    assert sorted(result.updated) == ["E1", "E2"]
    assert result.unchanged == 1
    assert StaffMember.objects.get(external_id="E2").job_title == "Senior Tutor"
    event = AuditEvent.objects.filter(action="people.imported").order_by("-seq").first()
    assert event is not None and event.after["updated"]["E2"] == ["job_title"]


def test_line_manager_later_in_the_file_is_fine(db: Any) -> None:
    data = b"external_id,first_name,last_name,employment_type,line_manager_id\nA,An,One,employee,B\nB,Be,Two,employee,\n"
    _import("staff", data)
    assert StaffMember.objects.get(external_id="A").line_manager.external_id == "B"  # type: ignore[union-attr]


BROKEN = {
    "bad date": (
        b"external_id,first_name,last_name,employment_type,start_date\nE1,Ada,L,employee,2024-02-31\n",
        "staff.csv, row 2, field 'start_date': '2024-02-31' is not a date",
    ),
    "missing column": (
        b"external_id,first_name,employment_type\nE1,Ada,employee\n",
        "staff.csv, row 1: missing required column(s): last_name",
    ),
    "duplicate id": (
        b"external_id,first_name,last_name,employment_type\nE1,Ada,L,employee\nE2,Bo,M,employee\nE1,Cy,N,employee\n",
        "staff.csv, row 4, field 'external_id': 'E1' already appears on row 2; list each person once",
    ),
    "wrong encoding": (
        "external_id,first_name,last_name,employment_type\nE1,Zoë,Brontë,employee\n".encode("cp1252"),
        "staff.csv, row 2: is not UTF-8 text",
    ),
    "empty file": (b"", "staff.csv: the file is empty"),
    "header only": (
        b"external_id,first_name,last_name,employment_type\n",
        "staff.csv: has a header but no rows",
    ),
    "bad employment type": (
        b"external_id,first_name,last_name,employment_type\nE1,Ada,L,intern\n",
        "staff.csv, row 2, field 'employment_type': 'intern' is not an employment type",
    ),
    "unknown manager": (
        b"external_id,first_name,last_name,employment_type,line_manager_id\nE1,Ada,L,employee,ZZ\n",
        "staff.csv, row 2, field 'line_manager_id': no staff member with external_id 'ZZ'",
    ),
    "leave before start": (
        b"external_id,first_name,last_name,employment_type,start_date,leave_date\nE1,Ada,L,employee,2024-01-01,2023-01-01\n",
        "staff.csv, row 2, field 'leave_date': 2023-01-01 is before the start date 2024-01-01",
    ),
    "empty required": (
        b"external_id,first_name,last_name,employment_type\nE1,,L,employee\n",
        "staff.csv, row 2, field 'first_name': is required and is empty",
    ),
    "too many cells": (
        b"external_id,first_name,last_name,employment_type\nE1,Ada,L,employee,extra\n",
        "staff.csv, row 2: has 5 cells but the header has 4",
    ),
    "too long for its column": (
        b"external_id,first_name,last_name,employment_type,job_title\nE1,Ada,L,employee,"
        + b"T" * 121
        + b"\n",
        "staff.csv, row 2, field 'job_title': is 121 characters; at most 120",
    ),
    "department too long": (
        b"external_id,first_name,last_name,employment_type,department\nE1,Ada,L,employee,"
        + b"D" * 121
        + b"\n",
        "staff.csv, row 2, field 'department': is 121 characters; at most 120",
    ),
    "bad email": (
        b"external_id,first_name,last_name,employment_type,email\nE1,Ada,L,employee,not-an-email\n",
        "staff.csv, row 2, field 'email': 'not-an-email' is not an email address",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_names_the_problem_and_imports_nothing(db: Any, case: str) -> None:
    data, message = BROKEN[case]
    events_before = AuditEvent.objects.count()
    with pytest.raises(ImportFailed) as failed:
        _import("staff", data)
    assert message in str(failed.value)
    assert StaffMember.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_good_rows_are_not_kept_when_a_later_row_is_bad(db: Any) -> None:
    data = STAFF + b"E4,Di,Xu,,employee,,,,,31/13/2020,\n"
    with pytest.raises(ImportFailed) as failed:
        _import("staff", data)
    assert "row 5, field 'start_date'" in str(failed.value)
    assert StaffMember.objects.count() == 0


def test_every_problem_is_listed_not_only_the_first(db: Any) -> None:
    data = b"external_id,first_name,last_name,employment_type,start_date\nE1,,L,employee,x\nE2,B,,boss,\n"
    with pytest.raises(ImportFailed) as failed:
        _import("staff", data)
    fields = {(e.row, e.field) for e in failed.value.errors}
    assert fields == {(2, "first_name"), (2, "start_date"), (3, "last_name"), (3, "employment_type")}


def test_learners_and_guardians_link_by_external_id(db: Any) -> None:
    _import(
        "learners",
        b"external_id,first_name,last_name,date_of_birth,end_date,social_handles\n"
        b"L1,Dan,Young,2010-03-04,,@danyoung;@dy_art\nL2,Eve,Old,1990-01-01,2020-06-30,\n",
        "learners.csv",
    )
    _import("guardians", b"external_id,first_name,last_name,learner_ids\nG1,Fay,Young,L1\n", "guardians.csv")
    assert list(Guardian.objects.get().learners.values_list("external_id", flat=True)) == ["L1"]
    young = Learner.objects.get(external_id="L1")
    assert young.social_handles.splitlines() == ["@danyoung", "@dy_art"]
    assert not Learner.objects.get(external_id="L2").is_current


def test_guardian_with_unknown_learner_is_refused(db: Any) -> None:
    with pytest.raises(ImportFailed) as failed:
        _import(
            "guardians", b"external_id,first_name,last_name,learner_ids\nG1,Fay,Young,L404\n", "guardians.csv"
        )
    assert "guardians.csv, row 2, field 'learner_ids': no learner with external_id 'L404'" in str(
        failed.value
    )
    assert Guardian.objects.count() == 0


def test_header_names_are_forgiving_about_case_and_spaces(db: Any) -> None:
    _import("staff", b"External ID,First Name,Last Name,Employment Type\nE1,Ada,L,Employee\n")
    assert StaffMember.objects.get().employment_type == "employee"


def test_export_round_trips_including_formula_like_cells(db: Any) -> None:
    _import("staff", STAFF.replace(b"Head of Delivery", b"=Head of Delivery"))
    exported = people_export_csv("staff")
    assert "'=Head of Delivery" in exported  # defused for spreadsheets
    result = _import("staff", exported.encode(), "export.csv")
    assert result.unchanged == 3 and not result.updated
    assert StaffMember.objects.get(external_id="E1").job_title == "=Head of Delivery"


def test_byte_order_mark_from_excel_is_accepted(db: Any) -> None:
    _import("staff", b"\xef\xbb\xbf" + STAFF)
    assert StaffMember.objects.count() == 3


@pytest.mark.parametrize(
    ("case", "message"),
    [
        # 50,000 columns (439 KB) used to keep a worker busy past its timeout.
        ("wide", "staff.csv, row 1: has a line of 338,890 characters; lines may be at most 100,000"),
        ("columns", "staff.csv, row 1: has 1,000 columns; at most 200 are accepted"),
        (
            "cell",
            "staff.csv, row 3, field 'job_title': is 20,000 characters long; a cell may be at most 10,000",
        ),
        ("line", "staff.csv, row 3: has a line of 200,001 characters; lines may be at most 100,000"),
    ],
)
def test_oversized_files_fail_fast_naming_file_row_and_field(db: Any, case: str, message: str) -> None:
    header = b"external_id,first_name,last_name,employment_type,job_title\n"
    data = {
        "wide": b",".join(b"c%d" % n for n in range(50_000)) + b"\n" + b"x\n" * 10,
        "columns": b",".join(b"c%d" % n for n in range(1_000)) + b"\n" + b"x\n" * 10,
        "cell": header + b"E1,Ada,L,employee,Tutor\nE2,Ben,O,employee," + b"t" * 20_000 + b"\n",
        "line": header + b"E1,Ada,L,employee,Tutor\n" + b"," * 200_000 + b"\n",
    }[case]
    started = time.monotonic()
    with pytest.raises(ImportFailed) as failed:
        _import("staff", data)
    assert time.monotonic() - started < 2
    assert message in str(failed.value)
    assert StaffMember.objects.count() == 0
