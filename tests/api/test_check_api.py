"""POST /api/v1/check: the rules engine over the API, with the register as context."""

from __future__ import annotations

from typing import Any

from django.test import Client

from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create


def test_staff_check_a_draft_against_the_register(
    client: Client, make_user: Any, register: dict[str, Any]
) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = client.post(
        "/api/v1/check",
        {
            "posts": [
                {"id": "d1", "text": "Well done Dan Young on passing! Call 07912 345678"},
                {"text": "Open day on Saturday"},
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200, response.content
    first, second = response.json()
    assert first["id"] == "d1" and first["verdict"] == "review"
    assert {f["rule"] for f in first["findings"]} >= {"LI001", "PD002"}
    assert {f["category"] for f in first["findings"]} >= {"learner-identity", "personal-data"}
    assert second["id"] == "2"


def test_bad_post_is_named(client: Client, make_user: Any, db: Any) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = client.post(
        "/api/v1/check",
        {"posts": [{"text": "ok"}, {"txt": "typo"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422
    assert "posts[1]" in response.json()["detail"]
