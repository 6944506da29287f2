"""The privacy API: the same services and permissions as the pages."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

from django.test import Client

from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from socialguard.privacy.models import SelfCheck
from tests.privacy import samples


def _api(user: Any) -> tuple[Client, dict[str, str]]:
    issued = token_create(user=user, name="t", scope="read_write")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}


def test_self_check_over_the_api(staff_client: Any) -> None:
    _, user = staff_client
    client, auth = _api(user)
    response = client.post(
        "/api/v1/privacy/self-check",
        json.dumps({"source": "linkedin", "content": samples.LINKEDIN.decode()}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [m["connection"] for m in body["matches"]] == ["Dan Young", "Fay Young"]
    assert SelfCheck.objects.get().matches == 2
    wrong = client.post(
        "/api/v1/privacy/self-check",
        json.dumps({"source": "x", "content": samples.LINKEDIN.decode()}),
        content_type="application/json",
        **auth,
    )
    assert wrong.status_code == 400 and "but this file is LinkedIn" in wrong.json()["detail"]


def test_subject_access_over_the_api(register: dict[str, Any], make_user: Any) -> None:
    client, auth = _api(make_user(Role.SMT))
    response = client.post(f"/api/v1/privacy/subject-access/guardian/{register['guardian'].pk}", **auth)
    assert response.status_code == 200, response.content
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(response.json()["zip_base64"]))) as archive:
        assert json.loads(archive.read("data.json"))["register_record"]["first_name"] == "Fay"
    staff_client, staff_auth = _api(make_user(Role.STAFF))
    assert (
        staff_client.post(
            f"/api/v1/privacy/subject-access/guardian/{register['guardian'].pk}", **staff_auth
        ).status_code
        == 403
    )
