"""The policy lifecycle over the API: import, publish, diff, review, declare, coverage, training."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create
from socialguard.policies import services
from socialguard.policies.models import Declaration, TrainingCompletion
from tests.policy_fixtures import V1, V2


def _bearer(user: Any) -> dict[str, str]:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', scope=TokenScope.READ_WRITE).secret}"
    }


def test_import_publish_diff_and_declare(people: dict[str, Any], client: Client) -> None:
    qd = _bearer(people["qd"])
    v1 = client.post("/api/v1/policy/versions", {"file": _file(V1, "v1.md")}, **qd)
    assert v1.status_code == 201, v1.content
    assert v1.json()["status"] == "draft"
    published = client.post(
        f"/api/v1/policy/versions/{v1.json()['id']}/publish",
        {"issue_date": "2022-02-01", "next_review_date": "2023-02-01"},
        content_type="application/json",
        **qd,
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    review = client.get("/api/v1/policy/review", **qd).json()
    assert review["state"] == "overdue"
    refs = {r["key"]: r["verdict"] for r in client.get("/api/v1/policy/references", **qd).json()["items"]}
    assert refs["working-together-2018"] == "outdated" and refs["online-safety-act-2023"] == "missing"

    tutor = _bearer(people["tutor"].user)
    declared = client.post(
        "/api/v1/policy/declarations",
        {"read_and_understood": True, "agrees_to_comply": True, "accepts_monitoring": False},
        content_type="application/json",
        **tutor,
    )
    assert declared.status_code == 400
    assert declared.json()["errors"] == [
        {"field": "accepts_monitoring", "message": "tick this to confirm it"}
    ]
    declared = client.post(
        "/api/v1/policy/declarations",
        dict.fromkeys(services.DECLARATION_FIELDS, True),
        content_type="application/json",
        **tutor,
    )
    assert declared.status_code == 201 and declared.json()["version"] == 1
    assert Declaration.objects.count() == 1

    v2 = client.post("/api/v1/policy/versions", {"file": _file(V2, "v2.md")}, **qd).json()
    client.post(f"/api/v1/policy/versions/{v2['id']}/publish", {}, content_type="application/json", **qd)
    diff = client.get(f"/api/v1/policy/versions/{v2['id']}/diff/{v1.json()['id']}", **qd).json()
    assert {c["key"]: c["kind"] for c in diff["items"]} == {
        "4.1": "changed",
        "5.2": "changed",
        "5.6": "added",
    }
    status = client.get("/api/v1/policy/declarations/status", **_bearer(people["smt"])).json()
    assert (status["version"], status["declared"], status["in_post"]) == (2, 0, 3)


def test_staff_cannot_see_drafts_or_coverage(published: dict[str, Any], client: Client) -> None:
    draft = services.policy_import(actor=published["qd"], data=V2.encode(), filename="v2.md")
    tutor = _bearer(published["tutor"].user)
    assert client.get(f"/api/v1/policy/versions/{draft.pk}", **tutor).status_code == 404
    assert [v["number"] for v in client.get("/api/v1/policy/versions", **tutor).json()["items"]] == [1]
    assert client.get("/api/v1/policy/declarations/status", **tutor).status_code == 403
    assert client.post("/api/v1/policy/review", **tutor).status_code == 403


def test_training_record_import_and_status(people: dict[str, Any], client: Client) -> None:
    smt = _bearer(people["smt"])
    services.course_save(
        actor=people["smt"], values={"code": "induction", "name": "Induction", "refresher_months": 12}
    )
    ok = client.post(
        "/api/v1/policy/training/completions",
        {"staff_id": "S1", "course": "induction", "completed_on": str(dt.date.today())},
        content_type="application/json",
        **smt,
    )
    assert ok.status_code == 201 and ok.json()["expires_on"]
    bad = client.post(
        "/api/v1/policy/training/import",
        {"file": _file("staff_id,course,completed_on\nS9,induction,2025-01-01\n", "t.csv")},
        **smt,
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0] == {
        "file": "t.csv",
        "row": 2,
        "field": "staff_id",
        "message": "no staff member has id 'S9'",
    }
    recent = dt.date.today() - dt.timedelta(days=30)
    good = client.post(
        "/api/v1/policy/training/import",
        {"file": _file(f"staff_id,course,completed_on\nS2,induction,{recent}\n", "t.csv")},
        **smt,
    )
    assert good.json() == {"recorded": 1, "already_recorded": 0}
    assert TrainingCompletion.objects.count() == 2
    status = client.get("/api/v1/policy/training", **smt).json()["items"]
    assert status[0]["code"] == "induction" and status[0]["required"] == 3
    assert [g["staff_id"] for g in status[0]["gaps"]] == ["S3"]


def _file(text: str, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_who_owes_a_declaration_is_a_page_of_its_own(published: dict[str, Any], client: Client) -> None:
    """The status answers counts; the people who owe the declaration are a paged list, read from
    the database a page at a time (in the status answer it grew with the staff)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socialguard.people.models import StaffMember

    smt = _bearer(published["smt"])
    status = client.get("/api/v1/policy/declarations/status", **smt).json()
    assert status["outstanding"] == 3

    def page() -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/policy/declarations/outstanding?limit=200", **smt)
        assert response.status_code == 200, response.content
        return len(queries), response.json()

    def status_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/policy/declarations/status", **smt).status_code == 200
        return len(queries)

    status_few = status_queries()
    few, body = page()
    assert body["count"] == 3
    assert {r["staff_id"] for r in body["items"]} == {"S1", "S2", "S3"}
    assert all(r["days"] >= 0 and r["owed_since"] for r in body["items"])
    for n in range(3):
        StaffMember.objects.create(external_id=f"SX{n}", first_name="New", last_name=f"Starter{n}")
    many, body = page()
    assert body["count"] == 6 and many == few
    # The status counts in the database too: the same queries for twice the staff.
    assert status_queries() == status_few
    assert client.get("/api/v1/policy/declarations/status", **smt).json()["outstanding"] == 6
    first = client.get("/api/v1/policy/declarations/outstanding?limit=2", **smt).json()
    assert first["count"] == 6 and len(first["items"]) == 2
