"""Every response carries a strict Content-Security-Policy, a Referrer-Policy and a
Permissions-Policy: pages, API answers, downloads and error pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from socialguard.incidents.models import Evidence

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def _assert_headers(response: Any, *, csp: str = CSP) -> None:
    assert response["Content-Security-Policy"] == csp
    assert "unsafe-inline" not in csp.split("style-src")[0]  # never for scripts
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Permissions-Policy"].startswith("accelerometer=(), camera=()")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (None, "/account/sign-in/", 200),
        (None, "/healthz", 503),
        (None, "/api/v1/openapi.json", 200),
        (None, "/no-such-page/", 404),
        (Role.STAFF, "/", 200),
        (Role.STAFF, "/api/v1/people/staff", 403),
        (Role.AUDITOR, "/people/staff/", 200),
        (Role.AUDITOR, "/audit/", 200),
        (Role.AUDITOR, "/audit/export.csv", 200),
        (Role.AUDITOR, "/people/staff/export.csv", 200),
        (Role.AUDITOR, "/policy/declarations/export.csv", 200),
    ],
)
def test_pages_api_and_downloads(
    client_for: Callable[..., Client], db: Any, role: Role | None, url: str, status: int
) -> None:
    client = client_for(role) if role else Client()
    response = client.get(url)
    assert response.status_code in (status, 401), (url, response.status_code)
    _assert_headers(response)


def test_api_with_a_token_and_a_refusal(make_user: Callable[..., Any]) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post("/api/v1/check", {"posts": [{"text": "hello"}]}, content_type="application/json")
    assert response.status_code == 200
    _assert_headers(response)
    refused = client.post("/api/v1/check", {"posts": [{"nope": 1}]}, content_type="application/json")
    assert refused.status_code == 422
    _assert_headers(refused)


def test_evidence_files_keep_their_own_tighter_policy(
    restricted_case: Any, team: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    from tests.conftest import sign_in

    evidence = Evidence.objects.filter(case=restricted_case).first()
    assert evidence is not None
    client = sign_in(Client(), team["dsl"])
    response = client.get(f"/cases/evidence/{evidence.pk}/?view=1")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["Permissions-Policy"] and response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_style_or_handlers() -> None:
    # The policy forbids them, so they would silently do nothing; keep them out of templates.
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "socialguard"
    bad = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|javascript:", re.I)
    found = [
        f"{path.relative_to(src)}: {m.group()}"
        for path in src.rglob("*.html")
        for m in bad.finditer(path.read_text())
    ]
    assert not found
