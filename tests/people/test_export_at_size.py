"""The register exports at size (issue 21): read as plain values a batch at a time and written by
one guarded writer, with exactly the values `person_row` gives each record (what the API and the
edit form show), one query per batch (and one for all guardians' links), and pieces of about 64 KB
to stream."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialguard import csvfiles
from socialguard.people import services
from socialguard.people.models import Department, Guardian, Learner, StaffMember
from socialguard.people.records import SPECS

pytestmark = pytest.mark.django_db


def _people(n: int, seed: int = 0) -> None:
    """Every shape a value takes: blanks (None and ""), dates, formulas to guard, quotes, commas
    and line breaks, several social handles, departments with sites, line managers, guardians
    of none, one and several learners."""
    dept = Department.objects.create(name=f"=Dept {seed}", site='North, "main"')
    staff = StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"S{seed}-{i}",
            first_name=["Ann", "=cmd", '"Quoted"', "Line\nbreak"][i % 4],
            last_name=f"Smith{i}",
            email=f"s{seed}{i}@dmm.example" if i % 3 else "",
            employment_type="employee",
            job_title="-Tutor" if i % 2 else "",
            department=dept if i % 2 else None,
            start_date=dt.date(2020, 1, 1 + i % 28) if i % 5 else None,
            leave_date=dt.date(2030, 2, 1) if i % 7 == 0 else None,
        )
        for i in range(n)
    )
    for i, member in enumerate(staff[1:], start=1):
        if i % 3:
            member.line_manager = staff[0]
    StaffMember.objects.bulk_update(staff, ["line_manager"])
    learners = Learner.objects.bulk_create(
        Learner(
            external_id=f"L{seed}-{i}",
            first_name="@Lee" if i % 4 == 0 else "Lee",
            last_name=f"Learner{i}",
            date_of_birth=dt.date(2008, 1 + i % 12, 1) if i % 3 else None,
            programme="Digital, Level 3",
            social_handles="\n".join(f"@h{i}_{k}" for k in range(i % 3)),
            end_date=dt.date(2024, 7, 1) if i % 6 == 0 else None,
        )
        for i in range(n)
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(external_id=f"G{seed}-{i}", first_name="Gay", last_name=f"+{i}", phone="+44 7700 900000")
        for i in range(n)
    )
    for i, guardian in enumerate(guardians):
        guardian.learners.set(learners[i : i + i % 3])


def _expected(kind: str) -> str:
    """The export as one `person_row` per record gives it."""
    model = {"staff": StaffMember, "learners": Learner, "guardians": Guardian}[kind]
    columns = [c.name for c in SPECS[kind]]
    rows = [columns]
    for obj in model.objects.order_by("pk"):
        row = services.person_row(kind, obj)
        rows.append([row[c] for c in columns])
    out = io.StringIO()
    writer = csvfiles.writer(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["staff", "learners", "guardians"])
def test_the_export_has_the_values_person_row_gives(kind: str) -> None:
    _people(23)
    assert services.people_export_csv(kind) == _expected(kind)


@pytest.mark.parametrize("kind", ["staff", "learners", "guardians"])
def test_the_export_reads_a_batch_per_query_whatever_its_size(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 10)
    counts = []
    for seed in (1, 2):
        _people(20, seed)  # 20 more of each: twice as many batches the second time
        with CaptureQueriesContext(connection) as captured:
            text = services.people_export_csv(kind)
        counts.append(len(captured))
    assert text == _expected(kind)
    links = 1 if kind == "guardians" else 0  # guardians' links: one query, read alongside
    # Two batches of ten, then four, and the empty read that ends it.
    assert counts == [2 + 1 + links, 4 + 1 + links], counts


def test_the_pieces_are_about_the_size_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "BATCH", 5)
    _people(40)
    pieces = list(services.people_export_pieces("learners", piece=500))
    assert "".join(pieces) == _expected("learners")
    assert len(pieces) > 3
    assert all(500 <= len(p) < 1000 for p in pieces[:-1]), [len(p) for p in pieces]
