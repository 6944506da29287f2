"""Imports at a college group's size: batched writes (a bounded number of statements whatever the
file's length), only changed records written, one audit event with the file's digest, and the web
page's import run by the worker with its progress shown."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialguard.audit.models import AuditEvent
from socialguard.identity.roles import Role
from socialguard.people import services
from socialguard.people.models import Guardian, ImportRun, ImportState, Learner
from socialguard.people.services import people_import
from tests.worker import run_due_tasks

HEADER = b"external_id,first_name,last_name,date_of_birth,programme\n"


def _learners(n: int, programme: str = "Level 3") -> bytes:
    rows = [f"L{i:05d},Lee{i},Learner,2005-0{1 + i % 9}-1{i % 9},{programme}\n".encode() for i in range(n)]
    return HEADER + b"".join(rows)


def test_a_large_import_writes_in_batches(db: Any) -> None:
    data = _learners(5000)
    with CaptureQueriesContext(connection) as queries:
        result = people_import(actor=None, kind="learners", data=data, filename="learners.csv")
    assert len(result.created) == 5000 and Learner.objects.count() == 5000
    # One row per statement would be 5,000 inserts; batches keep it to a few dozen whatever the size
    # (SQLite splits each batch by its limit on variables).
    assert len(queries) < 120, len(queries)


def test_the_same_file_again_writes_nothing_and_a_change_writes_only_the_changed(db: Any) -> None:
    data = _learners(3000)
    people_import(actor=None, kind="learners", data=data, filename="learners.csv")
    with CaptureQueriesContext(connection) as queries:
        again = people_import(actor=None, kind="learners", data=data, filename="learners.csv")
    assert again.unchanged == 3000 and not again.updated and not again.created
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "people_')]
    changed = data.replace(
        b"L00007,Lee7,Learner,2005-08-17,Level 3", b"L00007,Lee7,Learner,2005-08-17,Level 4"
    )
    result = people_import(actor=None, kind="learners", data=changed, filename="learners.csv")
    assert result.updated == ["L00007"] and result.unchanged == 2999
    assert Learner.objects.get(external_id="L00007").programme == "Level 4"
    event = AuditEvent.objects.filter(action="people.imported").order_by("-seq").first()
    assert event is not None and event.after["updated"] == {"L00007": ["programme"]}


def test_guardians_links_are_replaced_by_the_files(db: Any) -> None:
    people_import(actor=None, kind="learners", data=_learners(4), filename="learners.csv")
    header = b"external_id,first_name,last_name,learner_ids\n"
    people_import(
        actor=None,
        kind="guardians",
        data=header + b"G1,Gay,Guard,L00000;L00001\nG2,Gil,Guard,L00002\n",
        filename="g.csv",
    )
    result = people_import(
        actor=None,
        kind="guardians",
        data=header + b"G1,Gay,Guard,L00001;L00003\nG2,Gil,Guard,L00002\n",
        filename="g.csv",
    )
    assert result.updated == ["G1"] and result.unchanged == 1
    g1 = Guardian.objects.get(external_id="G1")
    assert sorted(g1.learners.values_list("external_id", flat=True)) == ["L00001", "L00003"]
    assert list(Guardian.objects.get(external_id="G2").learners.values_list("external_id", flat=True)) == [
        "L00002"
    ]


def test_a_large_import_is_audited_by_counts_and_digest(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "LISTED_IDS", 10)
    data = _learners(50)
    people_import(actor=None, kind="learners", data=data, filename="learners.csv")
    event = AuditEvent.objects.get(action="people.imported")
    assert event.after["sha256"] == hashlib.sha256(data).hexdigest()
    assert event.after["rows"] == event.after["created_count"] == 50
    assert "created" not in event.after  # too many to list: the digest identifies the file


def test_the_web_import_runs_in_the_worker_and_shows_its_progress(
    client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(Role.SMT)
    upload = _upload(_learners(30), "mis-learners.csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/import/", {"kind": "learners", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/import/{run.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker" in waiting and 'hx-trigger="every 1s"' in waiting
    assert run_due_tasks() == ["Imported"]
    run.refresh_from_db()
    assert run.state == ImportState.DONE and bytes(run.data) == b"" and run.done == run.total
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "mis-learners.csv: 30 learners added" in page and "every 1s" not in page
    assert Learner.objects.count() == 30


def test_a_broken_file_on_the_web_imports_nothing_and_lists_each_problem(
    client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(Role.SMT)
    broken = _learners(3).replace(b"2005-03-12", b"31/02/2005")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/import/", {"kind": "learners", "file": _upload(broken, "bad.csv")})
    run_due_tasks()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page and "bad.csv, row 4, field &#x27;date_of_birth&#x27;" in page
    assert not Learner.objects.exists()
    assert ImportRun.objects.get().state == ImportState.FAILED


def test_only_those_who_import_see_an_import(client_for: Callable[..., Client]) -> None:
    run = ImportRun.objects.create(kind="learners", filename="x.csv", requested_at="2026-11-30T10:00Z")
    assert client_for(Role.STAFF).get(f"/people/import/{run.pk}/").status_code == 403


def _upload(data: bytes, name: str) -> Any:
    import io

    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_the_guardians_export_reads_links_in_a_few_queries_whatever_its_size(db: Any) -> None:
    people_import(actor=None, kind="learners", data=_learners(300), filename="learners.csv")
    rows = b"".join(f"G{i},Gay{i},Guard,L{i:05d};L{(i + 1) % 300:05d}\n".encode() for i in range(300))
    people_import(
        actor=None,
        kind="guardians",
        data=b"external_id,first_name,last_name,learner_ids\n" + rows,
        filename="g.csv",
    )
    with CaptureQueriesContext(connection) as queries:
        lines = services.people_export_csv("guardians").splitlines()
    assert len(lines) == 301 and lines[1].startswith("G0,Gay0,Guard") and "L00000;L00001" in lines[1]
    assert len(queries) < 10, len(queries)  # was one query per guardian
