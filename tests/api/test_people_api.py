"""The REST API: token auth, scopes, people list/read/create/update/import, audit events."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialguard.identity.models import ApiToken, TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create, token_revoke
from socialguard.people.models import StaffMember


@pytest.fixture
def smt_token(make_user: Any) -> str:
    return token_create(user=make_user(Role.SMT), name="cli", scope=TokenScope.READ_WRITE).secret


def _auth(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_tokens_are_stored_only_as_a_digest(make_user: Any) -> None:
    issued = token_create(user=make_user(Role.STAFF), name="laptop", scope=TokenScope.READ)
    stored = ApiToken.objects.get()
    assert issued.secret not in (stored.digest, stored.prefix, stored.name)
    assert issued.secret.startswith(stored.prefix)
    assert len(stored.digest) == 64


def test_list_and_read_staff(client: Client, register: dict[str, Any], smt_token: str) -> None:
    listing = client.get("/api/v1/people/staff?q=tutor", **_auth(smt_token))
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1
    assert body["items"][0]["external_id"] == "S2"
    assert body["items"][0]["line_manager_id"] == "S1"
    one = client.get(f"/api/v1/people/staff/{register['boss'].pk}", **_auth(smt_token))
    assert one.json()["job_title"] == "Head of Delivery"


def test_create_and_update_staff(client: Client, register: dict[str, Any], smt_token: str) -> None:
    created = client.post(
        "/api/v1/people/staff",
        {
            "external_id": "S9",
            "first_name": "Gil",
            "last_name": "New",
            "employment_type": "volunteer",
            "line_manager_id": "S1",
            "start_date": "2025-09-01",
        },
        content_type="application/json",
        **_auth(smt_token),
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    updated = client.patch(
        f"/api/v1/people/staff/{pk}",
        {"leave_date": "2026-07-31"},
        content_type="application/json",
        **_auth(smt_token),
    )
    assert updated.status_code == 200
    assert updated.json()["leave_date"] == "2026-07-31"
    assert updated.json()["first_name"] == "Gil"


def test_invalid_create_says_which_field(client: Client, register: dict[str, Any], smt_token: str) -> None:
    response = client.post(
        "/api/v1/people/staff",
        {
            "external_id": "S1",
            "first_name": "Dup",
            "last_name": "X",
            "employment_type": "employee",
            "start_date": "yesterday",
        },
        content_type="application/json",
        **_auth(smt_token),
    )
    # A value of the wrong type is refused against the document (422), naming the field.
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body.start_date"}
    duplicate = client.post(
        "/api/v1/people/staff",
        {"external_id": "S1", "first_name": "Dup", "last_name": "X", "employment_type": "employee"},
        content_type="application/json",
        **_auth(smt_token),
    )
    # A well-formed value a rule refuses is a 400, also naming the field.
    assert duplicate.status_code == 400
    assert {e["field"] for e in duplicate.json()["errors"]} == {"external_id"}
    assert StaffMember.objects.filter(first_name="Dup").count() == 0


def test_import_through_the_api(client: Client, db: Any, smt_token: str) -> None:
    good = SimpleUploadedFile(
        "staff.csv", b"external_id,first_name,last_name,employment_type\nA1,Al,Bo,employee\n"
    )
    response = client.post("/api/v1/people/import/staff", {"file": good}, **_auth(smt_token))
    assert response.status_code == 200 and response.json()["created"] == ["A1"]
    bad = SimpleUploadedFile("staff.csv", b"external_id,first_name\nA2,Al\n")
    refused = client.post("/api/v1/people/import/staff", {"file": bad}, **_auth(smt_token))
    assert refused.status_code == 400
    assert "missing required column(s): last_name, employment_type" in refused.json()["errors"][0]["message"]


def test_read_only_token_cannot_write(client: Client, make_user: Any, register: dict[str, Any]) -> None:
    secret = token_create(user=make_user(Role.SMT), name="ro", scope=TokenScope.READ).secret
    assert client.get("/api/v1/people/staff", **_auth(secret)).status_code == 200
    response = client.patch(
        f"/api/v1/people/staff/{register['boss'].pk}",
        {"job_title": "X"},
        content_type="application/json",
        **_auth(secret),
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_revoked_token_is_refused(client: Client, make_user: Any) -> None:
    user = make_user(Role.AUDITOR)
    issued = token_create(user=user, name="t", scope=TokenScope.READ)
    assert client.get("/api/v1/audit/events", **_auth(issued.secret)).status_code == 200
    token_revoke(actor=user, token=issued.token)
    assert client.get("/api/v1/audit/events", **_auth(issued.secret)).status_code == 401


def test_audit_events_and_verify(client: Client, make_user: Any, register: dict[str, Any]) -> None:
    secret = token_create(user=make_user(Role.AUDITOR), name="a", scope=TokenScope.READ).secret
    events = client.get("/api/v1/audit/events?action=user.created", **_auth(secret)).json()
    assert len(events["items"]) >= 1 and all(e["action"] == "user.created" for e in events["items"])
    verify = client.get("/api/v1/audit/verify", **_auth(secret)).json()
    assert verify["ok"] is True and verify["first_broken_seq"] is None


def test_tokens_page_shows_secret_once(client_for: Any) -> None:
    client = client_for(Role.STAFF)
    page = client.post("/account/tokens/", {"name": "laptop", "scope": "read"})
    secret = ApiToken.objects.get()
    assert secret.prefix in page.content.decode()
    again = client.get("/account/tokens/").content.decode()
    assert "will not be shown again" not in again


def test_a_leave_date_that_has_come_ends_the_leavers_sign_in_at_once(
    client: Client, register: dict[str, Any], smt_token: str, make_user: Any
) -> None:
    """Not at the next daily leavers scan: until then the leaver's token still read the
    directory, the archive and the accounts (found by probing the API)."""
    import datetime as dt

    from django.utils import timezone

    from socialguard.audit.models import AuditEvent

    leaver = make_user(Role.STAFF)
    tutor = register["tutor"]
    tutor.user = leaver
    tutor.save()
    secret = token_create(user=leaver, name="laptop", scope=TokenScope.READ).secret
    assert client.get("/api/v1/people/directory", **_auth(secret)).status_code == 200
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    patched = client.patch(
        f"/api/v1/people/staff/{tutor.pk}",
        {"leave_date": yesterday},
        content_type="application/json",
        **_auth(smt_token),
    )
    assert patched.status_code == 200, patched.content
    assert client.get("/api/v1/people/directory", **_auth(secret)).status_code == 401
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert AuditEvent.objects.filter(action="user.access_withdrawn", object_id=str(leaver.pk)).exists()


def test_a_token_is_refused_once_its_holders_leave_date_has_come(
    client: Client, register: dict[str, Any], make_user: Any
) -> None:
    """Even where the date was written around the services (the scan withdraws sign-in daily)."""
    from django.utils import timezone

    user = make_user(Role.STAFF)
    StaffMember.objects.filter(pk=register["volunteer"].pk).update(user=user, leave_date=timezone.localdate())
    secret = token_create(user=user, name="laptop", scope=TokenScope.READ).secret
    assert client.get("/api/v1/people/directory", **_auth(secret)).status_code == 401
